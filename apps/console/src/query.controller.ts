import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import {
  breakdown,
  DIMENSIONS,
  METRICS,
  OVERVIEW_METRICS,
  overview,
  parseDimension,
  parseFilter,
  parseInteger,
  parseMetric,
  parseRange,
  previousRange,
  QueryError,
  series,
  timelineOf,
  type CombinationView,
  type QueryRange,
  type ViewSummary,
} from '@sightline/console-queries';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { Access, canRead, requireProperty, type Principal } from './access';
import { AggregateReader } from './aggregate-reader';
import type { ConsoleConfig } from './console.config';
import { ConsoleData } from './console-data';
import { consoleErrors } from './console-errors';

type Q = Record<string, string | undefined>;
type AuthHeaders = { authorization?: string; cookie?: string };

/** Runs a query, turning a QueryError into its 400 with the parameter to fix. */
function answer<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof QueryError) throw consoleErrors.error(error.code, error.message, error.parameter ? { parameter: error.parameter } : {});
    throw error;
  }
}

/**
 * The query API (docs/console.md, docs/openapi-console.json): every route needs a console token
 * (Authorization: Bearer, or the session cookie) that reads the property asked for.
 */
@Controller('v1')
export class QueryController {
  private readonly combinations: string[];

  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<ConsoleConfig>,
    @Inject(Access) private readonly access: Access,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(ConsoleData) private readonly data: ConsoleData,
  ) {
    this.combinations = context.config.SCORER_COMBINATIONS.split(',').map((c) => c.trim()).filter(Boolean);
  }

  private principal(headers: AuthHeaders): Principal {
    return this.access.principalOf(headers);
  }

  @Get('meta')
  meta(@Headers() headers: AuthHeaders) {
    const principal = this.principal(headers);
    return {
      metrics: Object.entries(METRICS).map(([name, m]) => ({ name, ...m })),
      overview_metrics: OVERVIEW_METRICS,
      dimensions: [...DIMENSIONS, ...this.combinations],
      admin: principal.admin,
      history: this.reader.coverage(Date.now()).history,
      streams_from: this.reader.streamsFrom(),
      views_hours: this.context.config.CONSOLE_VIEWS_HOURS,
    };
  }

  @Get('properties')
  async properties(@Headers() headers: AuthHeaders) {
    const principal = this.principal(headers);
    const seen = new Set([...(await this.reader.properties()), ...this.data.knownProperties()]);
    if (principal.properties !== '*') for (const p of principal.properties) seen.add(p);
    return { properties: [...seen].filter((p) => canRead(principal, p)).sort() };
  }

  @Get('overview')
  async overview(@Headers() headers: AuthHeaders, @Query() q: Q) {
    const propertyId = requireProperty(this.principal(headers), q.property);
    const range = answer(() => parseRange(q, Date.now()));
    const previous = previousRange(range);
    const cohort = this.cohortOf(q);
    const windows = await this.reader.windows({ propertyId, granularity: range.granularity, ...cohort, from: previous.from, to: range.to });
    const result = answer(() => overview(windows, range, previous));
    const open = await this.reader.latest(propertyId, 'minute', cohort.dimension, cohort.value);
    return {
      property_id: propertyId,
      ...this.rangeOut(range),
      previous: { from: previous.from, to: previous.to },
      cohort,
      tiles: result.tiles,
      figures: result.figures,
      previous_figures: result.previous,
      open_minute: open && open.window_end > Date.now() - 120_000 ? { window_start: open.window_start, pane_index: open.pane_index, timing: open.timing, concurrent_viewers: open.concurrent_viewers, plays: open.plays, attempts: open.attempts } : null,
      coverage: this.reader.coverage(previous.from),
    };
  }

  @Get('series')
  async series(@Headers() headers: AuthHeaders, @Query() q: Q) {
    const propertyId = requireProperty(this.principal(headers), q.property);
    const metrics = answer(() => (q.metric ?? '').split(',').map((m) => parseMetric(m.trim() || undefined)));
    const range = answer(() => parseRange(q, Date.now()));
    const cohort = this.cohortOf(q);
    const windows = await this.reader.windows({ propertyId, granularity: range.granularity, ...cohort, from: range.from, to: range.to });
    return {
      property_id: propertyId,
      ...this.rangeOut(range),
      cohort,
      series: metrics.map((metric) => ({ metric, points: series(windows, range, metric) })),
      coverage: this.reader.coverage(range.from),
    };
  }

  @Get('breakdown')
  async breakdown(@Headers() headers: AuthHeaders, @Query() q: Q) {
    const propertyId = requireProperty(this.principal(headers), q.property);
    const dimension = answer(() => parseDimension(q.dimension, this.combinations));
    if (dimension === 'all') throw consoleErrors.error('UNKNOWN_DIMENSION', 'break down by a dimension other than all (cdn, country, ...)', { parameter: 'dimension' });
    const metric = answer(() => parseMetric(q.sort ?? 'plays', 'sort'));
    const order = q.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw consoleErrors.error('INVALID_PARAMETER', `order must be asc or desc, got "${order}"`, { parameter: 'order' });
    const limit = answer(() => parseInteger(q.limit, 'limit', { min: 1, max: 100, default: 10 }));
    const range = answer(() => parseRange(q, Date.now()));
    let read = dimension;
    let combination: CombinationView | undefined;
    if (q.filter) {
      const filter = answer(() => parseFilter(q.filter!));
      const found = this.combinations.find((c) => {
        const parts = c.split('+');
        return parts.length === 2 && parts.includes(dimension) && parts.includes(filter.dimension);
      });
      if (!found) {
        throw consoleErrors.error(
          'FILTER_NOT_AGGREGATED',
          `breaking ${dimension} down within ${filter.dimension} needs the combined dimension ${dimension}+${filter.dimension} in the scorer's SCORER_COMBINATIONS (now ${this.combinations.join(', ') || 'none'})`,
          { parameter: 'filter' },
        );
      }
      const parts = found.split('+');
      read = found;
      combination = { keep: parts.indexOf(dimension), match: { index: parts.indexOf(filter.dimension), value: filter.value } };
    }
    const windows = await this.reader.windows({ propertyId, granularity: range.granularity, dimension: read, from: range.from, to: range.to });
    const result = breakdown(windows, range, { metric, order, limit, ...(combination ? { combination } : {}) });
    return { property_id: propertyId, ...this.rangeOut(range), dimension, filter: q.filter ?? null, ...result, coverage: this.reader.coverage(range.from) };
  }

  @Get('views')
  views(@Headers() headers: AuthHeaders, @Query() q: Q) {
    const propertyId = requireProperty(this.principal(headers), q.property);
    const now = Date.now();
    const range = answer(() => parseRange({ ...q, granularity: 'minute' }, now));
    const sort = q.sort ?? 'worst';
    if (sort !== 'worst' && sort !== 'recent') throw consoleErrors.error('INVALID_PARAMETER', `sort must be worst or recent, got "${sort}"`, { parameter: 'sort' });
    const status = q.status;
    if (status !== undefined && status !== 'active' && status !== 'completed') throw consoleErrors.error('INVALID_PARAMETER', `status must be active or completed, got "${status}"`, { parameter: 'status' });
    const limit = answer(() => parseInteger(q.limit, 'limit', { min: 1, max: 500, default: 50 }));
    let cohort: { dimension: string; value: string } | undefined;
    if (q.cohort) {
      const parsed = answer(() => parseFilter(q.cohort!, 'cohort'));
      answer(() => parseDimension(parsed.dimension, this.combinations, 'cohort'));
      cohort = parsed;
    }
    const result = answer(() =>
      this.data.views.search({
        propertyId,
        ...(q.viewer ? { viewerId: q.viewer } : {}),
        ...(q.video ? { video: q.video } : {}),
        ...(cohort ? { cohort } : {}),
        ...(status ? { status } : {}),
        from: range.from,
        to: range.to,
        sort,
        limit,
      }),
    );
    const keptFrom = now - this.context.config.CONSOLE_VIEWS_HOURS * 3_600_000;
    return { property_id: propertyId, from: range.from, to: range.to, sort, matched: result.matched, views: result.views.map(brief), kept_from: keptFrom, incomplete: range.from < keptFrom };
  }

  @Get('views/:id')
  view(@Headers() headers: AuthHeaders, @Param('id') id: string) {
    return this.readableView(this.principal(headers), id);
  }

  @Get('views/:id/timeline')
  async timeline(@Headers() headers: AuthHeaders, @Param('id') id: string) {
    const view = this.readableView(this.principal(headers), id);
    const { batches, truncated } = await this.data.events(view);
    return { view: brief(view), metrics: view.metrics, score: view.score, ...timelineOf(id, batches), truncated };
  }

  @Get('anomalies')
  anomalies(@Headers() headers: AuthHeaders, @Query() q: Q) {
    const propertyId = requireProperty(this.principal(headers), q.property);
    const range = answer(() => parseRange({ ...q, granularity: 'hour' }, Date.now()));
    const limit = answer(() => parseInteger(q.limit, 'limit', { min: 1, max: 1000, default: 100 }));
    return { property_id: propertyId, from: range.from, to: range.to, anomalies: this.data.anomalies(propertyId, range.from, range.to).slice(0, limit) };
  }

  @Get('alerts')
  alerts(@Headers() headers: AuthHeaders, @Query() q: Q) {
    const propertyId = requireProperty(this.principal(headers), q.property);
    if (q.state !== undefined && !['firing', 'resolved', 'acknowledged'].includes(q.state)) {
      throw consoleErrors.error('INVALID_PARAMETER', `state must be firing, resolved or acknowledged, got "${q.state}"`, { parameter: 'state' });
    }
    const list = this.data.alertList({ propertyId: (p) => p === propertyId, ...(q.state ? { state: q.state } : {}) });
    return { property_id: propertyId, alerts: list.map((a) => ({ ...a, cause: this.causeOf(a.anomaly_id) })) };
  }

  private causeOf(anomalyId: string | undefined) {
    if (!anomalyId) return null;
    return this.data.anomalyById(anomalyId)?.probable_cause ?? null;
  }

  private readableView(principal: Principal, id: string): ViewSummary {
    const view = this.data.views.get(id);
    // Another property's view is answered as no view at all: its existence is not this token's to know.
    if (!view || !canRead(principal, view.property_id)) throw consoleErrors.error('NOT_FOUND', `no view ${id} in the last ${this.context.config.CONSOLE_VIEWS_HOURS} h`);
    return view;
  }

  private cohortOf(q: Q): { dimension: string; value: string } {
    if (q.dimension === undefined && q.value === undefined) return { dimension: 'all', value: 'all' };
    const dimension = answer(() => parseDimension(q.dimension, this.combinations));
    if (dimension === 'all') return { dimension, value: 'all' };
    if (!q.value) throw consoleErrors.error('INVALID_PARAMETER', `value is required with dimension ${dimension} (the cohort, e.g. dimension=cdn&value=fastly)`, { parameter: 'value' });
    return { dimension, value: q.value };
  }

  private rangeOut(range: QueryRange) {
    return { from: range.from, to: range.to, granularity: range.granularity };
  }
}

/** A view as lists show it: its dimensions, headline figures and score, without the full metrics. */
export function brief(v: ViewSummary) {
  const m = v.metrics;
  return {
    view_id: v.view_id,
    status: v.status,
    viewer_id: v.context.viewer_id ?? null,
    video_id: v.context.video_id ?? null,
    title: v.context.video_title ?? v.context.video_id ?? null,
    cdn: v.context.cdn ?? null,
    player: v.context.player_name ? `${v.context.player_name}${v.context.player_version ? ` ${v.context.player_version}` : ''}` : null,
    country: v.client?.country ?? null,
    asn: v.client?.asn ?? null,
    device_type: v.client?.device_type ?? null,
    first_received_at: v.first_received_at,
    last_received_at: v.last_received_at,
    end_reason: v.end_reason ?? null,
    startup_time_ms: m.startup_time_ms,
    watch_time_ms: m.watch_time_ms,
    rebuffer_count: m.rebuffer_count,
    rebuffer_percentage: m.rebuffer_percentage,
    weighted_average_bitrate_bps: m.weighted_average_bitrate_bps,
    exited_before_start: m.exited_before_start,
    start_failed: m.start_failed,
    playback_failed: m.playback_failed,
    overall_score: v.score?.scores.overall ?? null,
    score_kind: v.score?.kind ?? null,
  };
}
