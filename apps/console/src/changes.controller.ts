import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { acknowledgement } from '@sightline/alert-rules';
import { formatIssues, subjects, type AlertRule } from '@sightline/contracts';
import { encodeJson, type WatchedBucket } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import type { FastifyReply } from 'fastify';
import { validateRule } from '@sightline/alert-rules';
import { Access, canRead, requireAdmin, SESSION_COOKIE } from './access';
import type { ConsoleConfig } from './console.config';
import { ConsoleData } from './console-data';
import { consoleErrors } from './console-errors';

type AuthHeaders = { authorization?: string; cookie?: string; 'x-sightline-console'?: string };

/** Injection token of the alert rules bucket (the one the alerting service applies). */
export const CONSOLE_RULES = Symbol('CONSOLE_RULES');

/** The request body as a JSON object, or INVALID_JSON. */
function jsonObject(body: unknown): Record<string, unknown> {
  let parsed: unknown = body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      parsed = JSON.parse(body.toString());
    } catch (error) {
      throw consoleErrors.error('INVALID_JSON', `the body is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw consoleErrors.error('INVALID_REQUEST', 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Signing in and out (the session cookie), acknowledging alerts and editing alert rules.
 * Changes need the admin token; made with the cookie, they need the X-Sightline-Console: 1
 * header too, which no other site's page can send (a CORS preflight would be refused).
 */
@Controller('v1')
export class ChangesController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<ConsoleConfig>,
    @Inject(Access) private readonly access: Access,
    @Inject(ConsoleData) private readonly data: ConsoleData,
    @Inject(CONSOLE_RULES) private readonly rules: WatchedBucket<AlertRule>,
  ) {}

  @Post('session')
  @HttpCode(200)
  signIn(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = jsonObject(body).token;
    if (typeof token !== 'string' || token.length === 0) throw consoleErrors.error('INVALID_REQUEST', 'the body must be {"token": "<console token>"}');
    const grant = this.access.check(token);
    if (!grant) throw consoleErrors.error('UNAUTHORIZED', 'this token is not a console token');
    const secure = this.context.config.CONSOLE_SECURE_COOKIE ? '; Secure' : '';
    reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200${secure}`);
    return { admin: grant.admin, properties: grant.properties === '*' ? '*' : [...grant.properties].sort() };
  }

  @Get('session')
  session(@Headers() headers: AuthHeaders) {
    const principal = this.access.principalOf(headers);
    return { admin: principal.admin, properties: principal.properties === '*' ? '*' : [...principal.properties].sort(), via: principal.via };
  }

  @Delete('session')
  @HttpCode(204)
  signOut(@Res({ passthrough: true }) reply: FastifyReply): void {
    reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
  }

  @Post('alerts/:id/ack')
  @HttpCode(200)
  async ack(@Headers() headers: AuthHeaders, @Param('id') id: string, @Body() body: unknown) {
    const principal = this.access.principalOf(headers);
    const alert = this.data.alert(id);
    if (!alert || !canRead(principal, alert.property_id)) throw consoleErrors.error('NOT_FOUND', `no alert ${id}`);
    requireAdmin(principal, headers['x-sightline-console']);
    const by = body === undefined || body === null || body === '' ? 'console' : jsonObject(body).by ?? 'console';
    if (typeof by !== 'string' || by.length === 0 || by.length > 128) throw consoleErrors.error('INVALID_REQUEST', 'by must be 1-128 characters (who acknowledges)');
    const acknowledged = acknowledgement(alert, by, Date.now());
    if (!acknowledged) throw consoleErrors.error('NOT_FIRING', `alert ${id} is ${alert.state}: only a firing alert can be acknowledged`);
    if (acknowledged !== alert) {
      const { topology, jetstream } = this.context;
      await jetstream.publish(subjects.alert(topology, 'acknowledged'), encodeJson(acknowledged), { msgId: acknowledged.transition_id! });
      this.data.applyAlert(acknowledged);
    }
    return acknowledged;
  }

  @Get('rules')
  listRules(@Headers() headers: AuthHeaders) {
    const principal = this.access.principalOf(headers);
    return { rules: this.rules.list().filter((r) => r.property_id === undefined || canRead(principal, r.property_id)).sort((a, b) => a.id.localeCompare(b.id)) };
  }

  @Put('rules/:id')
  async putRule(@Headers() headers: AuthHeaders, @Param('id') id: string, @Body() body: unknown) {
    requireAdmin(this.access.principalOf(headers), headers['x-sightline-console']);
    const checked = validateRule({ ...jsonObject(body), id });
    if (!checked.ok) throw consoleErrors.error('INVALID_RULE', `invalid rule: ${formatIssues(checked.issues)}`, { issues: checked.issues });
    return this.rules.put(checked.value);
  }

  @Delete('rules/:id')
  @HttpCode(204)
  async deleteRule(@Headers() headers: AuthHeaders, @Param('id') id: string): Promise<void> {
    requireAdmin(this.access.principalOf(headers), headers['x-sightline-console']);
    if (!(await this.rules.delete(id))) throw consoleErrors.error('NOT_FOUND', `no alert rule ${id}`);
  }
}
