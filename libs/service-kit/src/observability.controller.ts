import { Controller, Get, Header, HttpCode, Inject } from '@nestjs/common';
import { commonErrors } from './errors/error-registry';
import { SERVICE_CONTEXT, type ServiceContext } from './service-context';

/** `/healthz` (the process is alive), `/readyz` (its dependencies are usable), `/metrics` (Prometheus). */
@Controller()
export class ObservabilityController {
  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>) {}

  @Get('healthz')
  health(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.context.name };
  }

  @Get('readyz')
  @HttpCode(200)
  async ready(): Promise<{ status: 'ready'; checks: Record<string, 'ok'> }> {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const { name, check } of this.context.readiness) {
      try {
        await check();
        checks[name] = 'ok';
      } catch (error) {
        ready = false;
        checks[name] = (error as Error).message;
      }
    }
    if (!ready) throw commonErrors.error('NOT_READY', undefined, { status: 'not_ready', checks });
    return { status: 'ready', checks: checks as Record<string, 'ok'> };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.context.metrics.metrics();
  }
}
