import { Controller, Headers, HttpCode, Inject, Ip, Post, Query, Req, Res } from '@nestjs/common';
import { allowsOrigin, MAX_CMCD_REPORTS, parseEventMode, parseRequestMode, takeInReports, type CmcdReport, type RejectedEvent } from '@sightline/intake';
import { SERVICE_CONTEXT, ServiceError, type ServiceContext } from '@sightline/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BatchWriter } from '../batch-writer';
import { decodeBody } from '../body-decoding';
import { ingestErrors } from '../ingest-errors';
import type { IngestConfig } from '../ingest.config';
import { PropertyRegistry } from '../properties';

/**
 * `POST /v1/cmcd`: CMCD v2 event-mode reports in the body (a JSON object or array of objects,
 * or CMCD strings one per line), and/or CMCD request-mode data in the `CMCD` query parameter or
 * the `CMCD-Request`, `CMCD-Object`, `CMCD-Status` and `CMCD-Session` headers, as a CDN log
 * forwarder sends them. Reports become view events (`sid` is the view) and are stored like beacons.
 */
@Controller('v1')
export class CmcdController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<IngestConfig>,
    private readonly properties: PropertyRegistry,
    private readonly writer: BatchWriter,
  ) {}

  @Post('cmcd')
  @HttpCode(202)
  async receive(
    @Req() request: FastifyRequest,
    @Query('key') queryKey: string | undefined,
    @Query('CMCD') cmcdQuery: string | undefined,
    @Headers('x-sightline-key') headerKey: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ accepted: number; rejected: RejectedEvent[] }> {
    const key = headerKey ?? queryKey;
    const property = this.properties.require(key);
    // A player in a page (hls.js, dash.js) posts from the page's origin: the answer must be readable there.
    if (origin) {
      if (!allowsOrigin(property, origin)) throw ingestErrors.error('ORIGIN_NOT_ALLOWED', `origin ${origin} may not send CMCD data for property ${property.id}`);
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin').header('Access-Control-Expose-Headers', 'Retry-After');
    }
    const receivedAt = Date.now();
    this.writer.admit(property, receivedAt);
    const reports = await this.reports(request, cmcdQuery);
    if (reports.length === 0) throw ingestErrors.error('INVALID_BEACON', 'no CMCD data: send reports in the body, the CMCD query parameter or CMCD-* headers');
    const { beacons, rejected } = takeInReports(reports, receivedAt);
    if (beacons.length === 0) throw ingestErrors.error('INVALID_BEACON', 'no CMCD report could be used', { rejected });
    let accepted = 0;
    for (const beacon of beacons) {
      await this.writer.write(property, beacon, { ip, userAgent, receivedAt }, 'cmcd');
      accepted += beacon.events.length;
    }
    this.writer.countRejected(property, rejected.length);
    return { accepted, rejected };
  }

  private async reports(request: FastifyRequest, cmcdQuery: string | undefined): Promise<CmcdReport[]> {
    const reports: CmcdReport[] = [];
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    try {
      const requestMode = parseRequestMode(cmcdQuery, ['cmcd-request', 'cmcd-object', 'cmcd-status', 'cmcd-session'].map(header));
      if (requestMode) reports.push(requestMode);
      const raw = await decodeBody(request.body as Buffer | undefined, request.headers['content-encoding'], this.context.config.INGEST_BODY_LIMIT_BYTES);
      for (const report of parseEventMode(raw.toString('utf8'))) reports.push(report);
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      throw ingestErrors.error('INVALID_JSON', `CMCD data cannot be read: ${(error as Error).message}`);
    }
    if (reports.length > MAX_CMCD_REPORTS) {
      throw ingestErrors.error('TOO_MANY_EVENTS', `${reports.length} CMCD reports; at most ${MAX_CMCD_REPORTS} per request`);
    }
    return reports;
  }
}
