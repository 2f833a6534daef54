import { Controller, Get, HttpCode, type MessageEvent, Param, ParseUUIDPipe, Post, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/decorators.js';
import type { JobView, Page } from '../shared/api-types.js';
import { isTerminal } from '../shared/patterns.js';
import { ListJobsQuery } from './dto/list-jobs.query.js';
import { JobVisibleGuard } from './job-visible.guard.js';
import { JobsService } from './jobs.service.js';

const POLL_MS = 400;

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListJobsQuery): Promise<Page<JobView>> {
    return this.jobs.list(actor, { type: query.type, status: query.status, page: query.page ?? 1, pageSize: query.pageSize ?? 25 });
  }

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.toView(await this.jobs.findVisible(id, actor));
  }

  /**
   * Server-sent events: one `message` with the JobView whenever it changes, until it ends. Reads
   * the row (not process memory), so it works whichever instance runs the job. Who may watch is
   * decided by the guard, before the stream starts.
   */
  @Sse(':id/events')
  @UseGuards(JobVisibleGuard)
  events(@Param('id', ParseUUIDPipe) id: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let lastStamp = '';
      let stopped = false;
      const tick = async () => {
        if (stopped) return;
        try {
          const job = await this.jobs.reload(id);
          if (!job) return subscriber.complete();
          const stamp = `${job.updatedAt.getTime()}:${job.status}:${JSON.stringify(job.progress)}`;
          if (stamp !== lastStamp) {
            lastStamp = stamp;
            subscriber.next({ data: this.jobs.toView(job) });
          }
          if (isTerminal(job.status)) return subscriber.complete();
          timer = setTimeout(() => void tick(), POLL_MS);
        } catch (error) {
          subscriber.error(error);
        }
      };
      let timer = setTimeout(() => void tick(), 0);
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.toView(await this.jobs.cancel(id, actor));
  }
}
