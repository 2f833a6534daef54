import { Controller, Get, HttpCode, type MessageEvent, Param, ParseUUIDPipe, Post, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath, type MediaTypeObject } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import type { Actor } from '../auth/actor.js';
import { ApiAdminRoute, ApiErrors } from '../common/api-errors.decorator.js';
import { CurrentActor } from '../auth/decorators.js';
import type { JobView, Page } from '../shared/api-types.js';
import { JobPageDto, JobViewDto } from './dto/job-view.dto.js';
import { isTerminal } from '../shared/patterns.js';
import { ListJobsQuery } from './dto/list-jobs.query.js';
import { JobVisibleGuard } from './job-visible.guard.js';
import { JobsService } from './jobs.service.js';

/**
 * How often an event stream reads its job's row. The end of a job reaches the watcher up to this
 * late: at 400 ms, half of it on average was a fixed cost of every export and import as the CLI
 * and the console wait for them (npm run bench:e2e); a read by primary key is cheap.
 */
const POLL_MS = 100;

@ApiTags('jobs')
@ApiBearerAuth()
@ApiAdminRoute()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @ApiOperation({ summary: 'List jobs', description: 'Newest first, filtered by type and status, paged. An org admin sees only their own tenant’s jobs.' })
  @ApiOkResponse({ type: JobPageDto, description: 'One page of jobs' })
  @ApiErrors({ 400: true })
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListJobsQuery): Promise<Page<JobView>> {
    return this.jobs.list(actor, { type: query.type, status: query.status, page: query.page ?? 1, pageSize: query.pageSize ?? 25 });
  }

  @ApiOperation({ summary: 'Read a job', description: 'Its status, progress, result and error.' })
  @ApiOkResponse({ type: JobViewDto, description: 'The job' })
  @ApiErrors({
    400: 'The id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No job has this id',
  })
  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.toView(await this.jobs.findVisible(id, actor));
  }

  /**
   * Server-sent events: one `message` with the JobView whenever it changes, until it ends. Reads
   * the row (not process memory), so it works whichever instance runs the job. Who may watch is
   * decided by the guard, before the stream starts.
   */
  @ApiOperation({
    summary: 'Follow a job’s progress (server-sent events)',
    description:
      'A `text/event-stream`: one message whose `data` is the JobView (JSON) whenever the job changes, until it ends; then the stream closes. Works whichever instance runs the job.',
  })
  @ApiOkResponse({
    description: 'The event stream; each `data:` line is a JobView',
    // x-event-data: the schema of each event's data (OpenAPI 3.0 cannot say it); the contract test reads it.
    content: { 'text/event-stream': { schema: { type: 'string' }, 'x-event-data': { $ref: getSchemaPath(JobViewDto) } } as MediaTypeObject },
  })
  @ApiErrors({
    400: 'The id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No job has this id',
  })
  @ApiSecurity('access_token')
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

  @ApiOperation({ summary: 'Cancel a job', description: 'A queued job is cancelled at once; a running one is asked to stop and rolls back.' })
  @ApiOkResponse({ type: JobViewDto, description: 'The job after the request: cancelled, or still running until it stops' })
  @ApiErrors({
    400: 'The id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No job has this id',
    409: 'The job has already ended',
  })
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.toView(await this.jobs.cancel(id, actor));
  }
}
