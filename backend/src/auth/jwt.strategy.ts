import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { User } from '../domain/index.js';
import type { Actor, JwtPayload } from './actor.js';

/** EventSource cannot send headers, so the SSE route alone may carry the token in the query. */
export function fromEventStreamQuery(request: Request): string | null {
  if (!request.path.endsWith('/events')) return null;
  const token = request.query.access_token;
  return typeof token === 'string' ? token : null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderAsBearerToken(), fromEventStreamQuery]),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** The token's claims are re-read from the database: a deleted user or a changed role takes effect at once. */
  async validate(payload: JwtPayload): Promise<Actor | false> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: payload.sub } });
    if (!user) return false;
    return { id: user.id, email: user.email, role: user.role, tenantId: user.tenantId };
  }
}
