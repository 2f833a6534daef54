import { type CanActivate, type ExecutionContext, Injectable, ParseUUIDPipe } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../auth/actor.js';
import { JobsService } from './jobs.service.js';

/**
 * The job-visibility check of GET /jobs/:id, run as a guard for the event stream: a guard runs
 * before Nest starts an @Sse() response, so a refusal is a plain 400/403/404 through the exception
 * filter (which audits the 403). Checked in the handler instead, it would lose the race against
 * the stream's headers, and the client would get 200 with an error event.
 */
@Injectable()
export class JobVisibleGuard implements CanActivate {
  private readonly uuid = new ParseUUIDPipe();

  constructor(private readonly jobs: JobsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request<{ id: string }> & { user: Actor }>();
    const id = request.params.id;
    // The route's own pipe, so a malformed id answers exactly as on GET /jobs/:id.
    await this.uuid.transform(id, { type: 'param', data: 'id', metatype: String });
    await this.jobs.findVisible(id, request.user);
    return true;
  }
}
