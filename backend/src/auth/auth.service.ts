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

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string, client: Pick<Actor, 'clientIp' | 'userAgent'>): Promise<LoginResponse> {
    // The same email may exist in several tenants: the password decides which account it is.
    const candidates = await this.dataSource.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getMany();
    let match: User | null = null;
    for (const user of candidates) {
      if (user.passwordHash && (await verifyPassword(password, user.passwordHash))) {
        match = user;
        break;
      }
    }
    if (candidates.length === 0) await verifyPassword(password, DUMMY_HASH);
    if (!match) {
      await this.audit.record({ action: 'auth.login', outcome: 'failure', actor: { email, ...client }, params: { email } });
      const error = new AppException('UNAUTHENTICATED', 'Email or password is wrong');
      auditedErrors.add(error); // the failed login above is its audit row
      throw error;
    }
    const payload: JwtPayload = { sub: match.id, email: match.email, role: match.role, tenantId: match.tenantId };
    const accessToken = await this.jwt.signAsync(payload);
    const actor: Actor = { id: match.id, email: match.email, role: match.role, tenantId: match.tenantId, ...client };
    await this.audit.record({ action: 'auth.login', outcome: 'success', actor, tenantId: match.tenantId });
    return { accessToken, expiresIn: this.config.jwtExpiresInSeconds, user: await this.view(match) };
  }

  async me(actor: Actor): Promise<UserView> {
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
