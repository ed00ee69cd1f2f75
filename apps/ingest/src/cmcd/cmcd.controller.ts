import { Controller, Headers, HttpCode, Inject, Ip, Post, Query, Req } from '@nestjs/common';
import type { Beacon, PlayerEvent, ViewContext } from '@sightline/contracts';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import type { FastifyRequest } from 'fastify';
import { takeIn, type RejectedEvent } from '../beacon-intake';
import { BatchWriter } from '../batch-writer';
import { decodeBody } from '../body-decoding';
import { IngestError } from '../errors';
import { PropertyRegistry } from '../properties';
import { mapReport } from './cmcd-mapping';
import { parseCmcd, parseRequestMode, type CmcdReport } from './cmcd-parser';

interface CmcdSettings {
  INGEST_BODY_LIMIT_BYTES: number;
}

/**
 * `POST /v1/cmcd`: CMCD v2 event-mode reports in the body (a JSON object or array of objects,
 * or CMCD strings one per line), and/or CMCD request-mode data in the `CMCD` query parameter or
 * the `CMCD-Request`, `CMCD-Object`, `CMCD-Status` and `CMCD-Session` headers, as a CDN log
 * forwarder sends them. Reports become view events (`sid` is the view) and are stored like beacons.
 */
@Controller('v1')
export class CmcdController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<CmcdSettings>,
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
    @Ip() ip: string,
  ): Promise<{ accepted: number; rejected: RejectedEvent[] }> {
    const key = headerKey ?? queryKey;
    const property = this.properties.require(key);
    const receivedAt = Date.now();
    this.writer.admit(property, receivedAt);
    const reports = await this.reports(request, cmcdQuery);
    if (reports.length === 0) throw new IngestError('INVALID_BEACON', 'no CMCD data: send reports in the body, the CMCD query parameter or CMCD-* headers');

    const rejected: RejectedEvent[] = [];
    const byView = new Map<string, { events: PlayerEvent[]; context: ViewContext; indexes: number[] }>();
    reports.forEach((report, index) => {
      const mapped = mapReport(report, receivedAt);
      if ('error' in mapped) {
        rejected.push({ index, issues: [{ path: '/sid', message: mapped.error }] });
        return;
      }
      const view = byView.get(mapped.viewId) ?? { events: [], context: {}, indexes: [] };
      view.events.push(mapped.event);
      view.context = { ...view.context, ...mapped.context };
      view.indexes.push(index);
      byView.set(mapped.viewId, view);
    });
    let accepted = 0;
    for (const [viewId, view] of byView) {
      const intake = takeIn({ v: 1, view_id: viewId, ...(Object.keys(view.context).length ? { context: view.context } : {}), events: view.events }, receivedAt);
      if (!intake.ok) {
        for (const index of view.indexes) rejected.push({ index, issues: intake.issues });
        continue;
      }
      for (const r of intake.rejected) rejected.push({ index: view.indexes[r.index] ?? r.index, issues: r.issues });
      await this.writer.write(property, intake.beacon as Beacon, { ip, userAgent, receivedAt }, 'cmcd');
      accepted += intake.beacon.events.length;
    }
    if (accepted === 0) throw new IngestError('INVALID_BEACON', 'no CMCD report could be used', { rejected });
    this.writer.countRejected(property, rejected.length);
    return { accepted, rejected: rejected.sort((a, b) => a.index - b.index) };
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
      const text = raw.toString('utf8').trim();
      if (text.startsWith('{') || text.startsWith('[')) {
        const parsed = JSON.parse(text) as unknown;
        for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
          if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error('each JSON report must be an object of CMCD keys');
          reports.push(item as CmcdReport);
        }
      } else if (text.length > 0) {
        for (const line of text.split('\n')) if (line.trim()) reports.push(parseCmcd(line.trim()));
      }
    } catch (error) {
      if (error instanceof IngestError) throw error;
      throw new IngestError('INVALID_JSON', `CMCD data cannot be read: ${(error as Error).message}`);
    }
    if (reports.length > 500) throw new IngestError('TOO_MANY_EVENTS', `${reports.length} CMCD reports; at most 500 per request`);
    return reports;
  }
}
