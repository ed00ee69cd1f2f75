import { Controller, Get, Inject } from '@nestjs/common';
import { ProjectorRunner, type ProjectorStatus } from './projector.runner';

/**
 * `GET /v1/projector/status`: MongoDB reachability and, per input, lag, failing attempts and the
 * last write. `/readyz` stays ready while MongoDB is down (the projector holds its batches and
 * catches up), so this is where a MongoDB outage shows.
 */
@Controller('v1/projector')
export class ProjectorStatusController {
  constructor(@Inject(ProjectorRunner) private readonly runner: ProjectorRunner) {}

  @Get('status')
  status(): ProjectorStatus {
    return this.runner.status();
  }
}
