import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditedErrors } from '../audit/audit.interceptor.js';
import { AuditService } from '../audit/audit.service.js';
import { AppException } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Tenant, User } from '../domain/index.js';
import type { LoginResponse, UserView } from '../shared/api-types.js';
import type { Actor, JwtPayload } from './actor.js';
import { verifyPassword } from './password.js';

// Compared against when no user matches, so a wrong email costs as long as a wrong password.
const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.0Y8sVtV1iK3E3Rnj5Vc4sD3cBzVa';
/** Accounts of one email tried without `tenant` before the answer is "wrong" (bcrypt costs ~70 ms each). */
const MAX_AMBIGUOUS = 10;

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sign-in never guesses between accounts (docs/security.md): with `tenant`, the email is looked
   * up in that organisation only; without it, the email names the platform (system admin) account
   * if there is one, else its only tenant account. An email with accounts in several organisations
   * and no `tenant` is refused with TENANT_REQUIRED, but only to someone whose password opens one
   * of them: anyone else gets the usual "wrong" answer, so the refusal reveals nothing to a guesser.
   */
  async login(email: string, password: string, tenant: string | undefined, client: Pick<Actor, 'clientIp' | 'userAgent'>): Promise<LoginResponse> {
    const query = this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.tenant', 't')
      .where('lower(u.email) = lower(:email)', { email })
      .andWhere('u.password_hash IS NOT NULL');
    if (tenant !== undefined) query.andWhere('t.slug = :tenant', { tenant });
    const accounts = await query.orderBy('t.slug', 'ASC', 'NULLS FIRST').addOrderBy('u.id').getMany();
    const platform = accounts.find((u) => u.tenantId === null);
    const candidates = tenant === undefined && platform ? [platform] : accounts;
    const failed = async (reason: string, error: AppException): Promise<never> => {
      await this.audit.record({ action: 'auth.login', outcome: 'failure', actor: { email, ...client }, params: { email, tenant, reason } });
      auditedErrors.add(error); // the failed login above is its audit row
      throw error;
    };
    const wrong = () => new AppException('UNAUTHENTICATED', 'Email or password is wrong');
    if (candidates.length === 0) {
      await verifyPassword(password, DUMMY_HASH);
      return failed('unknown', wrong());
    }
    if (candidates.length > 1) {
      // Checked one by one (bcrypt is slow on purpose), at most MAX_AMBIGUOUS of them.
      for (const user of candidates.slice(0, MAX_AMBIGUOUS)) {
        if (await verifyPassword(password, user.passwordHash!)) {
          return failed(
            'tenant-required',
            new AppException(
              'TENANT_REQUIRED',
              'This email has accounts in several organisations: sign in again with the organisation (the tenant slug, field "tenant"; `rythm-data login --tenant <slug>`)',
              { fields: [{ field: 'tenant', message: 'required: this email has accounts in several organisations' }] },
            ),
          );
        }
      }
      return failed('wrong-password', wrong());
    }
    const match = candidates[0];
    if (!(await verifyPassword(password, match.passwordHash!))) return failed('wrong-password', wrong());
    const payload: JwtPayload = { sub: match.id, email: match.email, role: match.role, tenantId: match.tenantId };
    const accessToken = await this.jwt.signAsync(payload);
    const actor: Actor = { id: match.id, email: match.email, role: match.role, tenantId: match.tenantId, ...client };
    await this.audit.record({ action: 'auth.login', outcome: 'success', actor, tenantId: match.tenantId, params: tenant ? { tenant } : {} });
    return { accessToken, expiresIn: this.config.jwtExpiresInSeconds, user: await this.view(match) };
  }

  async me(actor: Actor): Promise<UserView> {
    if (actor.apiToken) {
      // An API token is not a user: it answers with what it may do and until when.
      const tenant = actor.tenantId ? await this.dataSource.getRepository(Tenant).findOne({ where: { id: actor.tenantId } }) : null;
      return {
        id: actor.id,
        email: actor.email,
        firstName: actor.apiToken.name,
        lastName: '',
        role: actor.role,
        tenantId: actor.tenantId,
        tenantSlug: tenant?.slug ?? null,
        apiToken: actor.apiToken,
      };
    }
    const user = await this.dataSource.getRepository(User).findOneOrFail({ where: { id: actor.id } });
    return this.view(user);
  }

  private async view(user: User): Promise<UserView> {
    const tenant = user.tenantId ? await this.dataSource.getRepository(Tenant).findOne({ where: { id: user.tenantId } }) : null;
    return {
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      role: user.role,
      tenantId: user.tenantId,
      tenantSlug: tenant?.slug ?? null,
    };
  }
}
