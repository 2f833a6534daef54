import { createHash, randomBytes } from 'node:crypto';

/** Every API token starts with this, so that the guard, secret scanners and people can tell one. */
export const API_TOKEN_PREFIX = 'rdt_';
/** 32 random bytes, base64url: 43 characters after the prefix. */
const SECRET_BYTES = 32;
export const API_TOKEN_PATTERN = /^rdt_[A-Za-z0-9_-]{43}$/;

export interface NewApiTokenSecret {
  token: string;
  hash: string;
  hint: string;
}

export function newApiTokenSecret(): NewApiTokenSecret {
  const token = `${API_TOKEN_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { token, hash: hashApiToken(token), hint: token.slice(0, API_TOKEN_PREFIX.length + 4) };
}

/**
 * What the database keeps: the sha256 of the whole token. The secret has 256 random bits, so a
 * fast hash is enough (nothing to brute-force), and a lookup by hash needs no comparison in code.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
