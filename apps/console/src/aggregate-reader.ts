import { streams, subjects, subjectToken, type CohortAggregate, type Topology } from '@sightline/contracts';
import { latestWindows, type Granularity } from '@sightline/console-queries';
import type { JetStreamConnection, StoredMessage } from '@sightline/messaging';
import type { MongoHistory } from './history';

export interface WindowsQuery {
  readonly propertyId: string;
  readonly granularity: Granularity;
  readonly dimension: string;
  /** One value, or every value of the dimension. */
  readonly value?: string;
  readonly from: number;
  readonly to: number;
}

/** Where a query's windows came from, for the page to say so. */
export interface Coverage {
  /** Windows from this time on come from the streams. */
  readonly streams_from: number;
  /** Whether older windows come from MongoDB (MONGO_URL set). */
  readonly history: boolean;
  /** Windows of the range before `streams_from` with no history to answer for them. */
  readonly incomplete: boolean;
}

const decode = (m: StoredMessage): CohortAggregate | undefined => {
  if (m.control) return undefined;
  const a = m.json<CohortAggregate>();
  return a && a.v === 1 ? a : undefined;
};

/**
 * Reads the windows of one cohort, or of one dimension, in a range: from the aggregates stream
 * by subject filter (the cohort's own subject, or the dimension's wildcard) and start time, so a
 * query reads only its cohort's panes since its range began (and no further than panes of the
 * range can be published); the latest pane of each window is the answer. Windows older than the
 * streams keep come from MongoDB when it is configured.
 */
export class AggregateReader {
  constructor(
    private readonly connection: JetStreamConnection,
    private readonly topology: Topology,
    private readonly options: { readonly retentionMs: number; readonly paneHorizonMs: number; readonly history?: MongoHistory; readonly now?: () => number },
  ) {}

  /** The start of what the streams still hold (with a window's margin), ms. */
  streamsFrom(): number {
    return (this.options.now ?? Date.now)() - this.options.retentionMs + 3_600_000;
  }

  coverage(from: number): Coverage {
    const streamsFrom = this.streamsFrom();
    return { streams_from: streamsFrom, history: this.options.history !== undefined, incomplete: from < streamsFrom && this.options.history === undefined };
  }

  async windows(q: WindowsQuery): Promise<CohortAggregate[]> {
    const boundary = Math.max(q.from, Math.min(q.to, this.streamsFrom()));
    const older = this.options.history && boundary > q.from ? this.options.history.windows({ ...q, to: boundary }) : Promise.resolve([]);
    const recent = boundary < q.to ? this.fromStreams({ ...q, from: boundary }) : Promise.resolve([]);
    const [a, b] = await Promise.all([older, recent]);
    return [...a, ...b];
  }

  /** The open minute of a cohort: its subject's latest pane. */
  async latest(propertyId: string, granularity: Granularity, dimension = 'all', value = 'all'): Promise<CohortAggregate | undefined> {
    const snapshot = await this.connection.readSnapshot({
      stream: streams(this.topology).aggregates.name,
      filterSubject: subjects.aggregate(this.topology, granularity, propertyId, dimension, value),
      from: 'last-per-subject',
    });
    const last = snapshot.messages.at(-1);
    return last ? decode(last) : undefined;
  }

  /** The properties with aggregates in the streams (the latest `all` minute of each). */
  async properties(): Promise<string[]> {
    const snapshot = await this.connection.readSnapshot({
      stream: streams(this.topology).aggregates.name,
      filterSubject: `${this.topology.namespace}.v1.aggregates.minute.*.all.all`,
      from: 'last-per-subject',
    });
    return [...new Set(snapshot.messages.map(decode).flatMap((a) => (a ? [a.property_id] : [])))].sort();
  }

  private async fromStreams(q: WindowsQuery): Promise<CohortAggregate[]> {
    const filterSubject =
      q.value !== undefined
        ? subjects.aggregate(this.topology, q.granularity, q.propertyId, q.dimension, q.value)
        : `${this.topology.namespace}.v1.aggregates.${q.granularity}.${subjectToken(q.propertyId)}.${subjectToken(q.dimension)}.*`;
    const until = q.to + this.options.paneHorizonMs;
    const now = (this.options.now ?? Date.now)();
    const snapshot = await this.connection.readSnapshot({
      stream: streams(this.topology).aggregates.name,
      filterSubject,
      from: { startTime: q.from },
      ...(until < now ? { until } : {}),
    });
    const panes = snapshot.messages.flatMap((m) => {
      const a = decode(m);
      return a && a.window_start >= q.from && a.window_start < q.to ? [a] : [];
    });
    return latestWindows(panes);
  }
}
