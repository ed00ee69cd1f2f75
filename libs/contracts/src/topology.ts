/**
 * Names of every subject and stream Sightline uses, derived from one namespace so that
 * several installations (or tests) share a NATS server without seeing each other.
 *
 * Subjects are versioned (`v1`) and partitioned by view id where ordering per view matters.
 */

const NAMESPACE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

export interface Topology {
  /** Prefix of every subject and stream, e.g. `sightline`. */
  readonly namespace: string;
  /** Number of partitions of the per-view streams. Fixed for the life of a stream. */
  readonly partitions: number;
}

export function createTopology(namespace: string, partitions: number): Topology {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new RangeError(
      `namespace "${namespace}" is invalid: use 1-32 characters, lower-case letters, digits and '-', starting with a letter`,
    );
  }
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    throw new RangeError(`partitions must be an integer from 1 to 1024, got ${partitions}`);
  }
  return { namespace, partitions };
}

/** 32-bit FNV-1a over UTF-16 code units: stable across processes and languages. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The partition that owns a view: every event, update and score of a view lands in it. */
export function partitionOf(topology: Topology, viewId: string): number {
  return fnv1a32(viewId) % topology.partitions;
}

/**
 * Partitioned subjects end in `.p<N>`, preceded by the message kind, so that one wildcard
 * filter (`<ns>.v1.views.*.p3`) selects a partition's data and its ticks on NATS 2.9, which
 * allows a consumer only one filter subject.
 */
export const subjects = {
  /** Enriched event batches from ingest; one message is one beacon of one view. */
  events: (t: Topology, partition: number) => `${t.namespace}.v1.events.beacon.p${partition}`,
  eventsAll: (t: Topology) => `${t.namespace}.v1.events.>`,
  /** Live snapshots of a view while it plays. */
  viewUpdated: (t: Topology, partition: number) => `${t.namespace}.v1.views.updated.p${partition}`,
  viewsUpdatedAll: (t: Topology) => `${t.namespace}.v1.views.updated.>`,
  /** The final snapshot of a view, once it has ended or gone silent. */
  viewCompleted: (t: Topology, partition: number) => `${t.namespace}.v1.views.completed.p${partition}`,
  viewsCompletedAll: (t: Topology) => `${t.namespace}.v1.views.completed.>`,
  viewsAll: (t: Topology) => `${t.namespace}.v1.views.>`,
  /** Scores of views; `live` while playing, `final` once completed. */
  score: (t: Topology, kind: 'live' | 'final', partition: number) => `${t.namespace}.v1.scores.${kind}.p${partition}`,
  scoresFinalAll: (t: Topology) => `${t.namespace}.v1.scores.final.>`,
  scoresAll: (t: Topology) => `${t.namespace}.v1.scores.>`,
  /** What each view did since its previous snapshot (input of the cohort aggregates). */
  activity: (t: Topology, partition: number) => `${t.namespace}.v1.activity.view.p${partition}`,
  activityAll: (t: Topology) => `${t.namespace}.v1.activity.>`,
  /** One cohort's aggregate of one window: `<granularity>.<property>.<dimension>.<value>`, each a subject token. */
  aggregate: (t: Topology, granularity: string, property: string, dimension: string, value: string) =>
    `${t.namespace}.v1.aggregates.${granularity}.${subjectToken(property)}.${subjectToken(dimension)}.${subjectToken(value)}`,
  aggregatesAll: (t: Topology) => `${t.namespace}.v1.aggregates.>`,
  /** Anomalies by metric. */
  anomaly: (t: Topology, metric: string) => `${t.namespace}.v1.anomalies.${metric}`,
  anomaliesAll: (t: Topology) => `${t.namespace}.v1.anomalies.>`,
  /** Alerts by lifecycle state (`firing`, `resolved`). */
  alert: (t: Topology, state: string) => `${t.namespace}.v1.alerts.${state}`,
  alertsAll: (t: Topology) => `${t.namespace}.v1.alerts.>`,
  /** A partition's partial prediction model of a property (the latest per subject is the one that counts). */
  predictionModel: (t: Topology, property: string, partition: number) => `${t.namespace}.v1.predictions.model.${subjectToken(property)}.p${partition}`,
  predictionModelsAll: (t: Topology) => `${t.namespace}.v1.predictions.model.>`,
  /** Request/reply on core NATS (no stream): predictions for a view about to start, or in progress. */
  predictionRequest: (t: Topology, kind: 'start' | 'progress') => `${t.namespace}.v1.predictions.request.${kind}`,
  /** Messages a consumer gave up on, with the reason. */
  deadLetter: (t: Topology, consumer: string) => `${t.namespace}.v1.dead.${consumer}`,
  deadLettersAll: (t: Topology) => `${t.namespace}.v1.dead.>`,
} as const;

/**
 * A cohort value as one subject token: letters, digits, `_`, `-`, `+` and `:` stay; every other
 * UTF-8 byte becomes `%XX` (so `.`, `*`, `>` and spaces never reach the subject). Reversible.
 */
export function subjectToken(value: string): string {
  if (value === '') return '%';
  let token = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    token += /[A-Za-z0-9_+:-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return token;
}

/** The cohort value of a subject token. */
export function fromSubjectToken(token: string): string {
  if (token === '%') return '';
  return decodeURIComponent(token);
}

/**
 * How a consumer group reads one partition of a partitioned stream: the filter that selects the
 * partition (its data and its ticks) and the subject its ticks are published on. Ticks are
 * control messages (header `Sightline-Control: tick`) that carry time through the log, so that
 * time-driven results replay exactly; subscribers to data subjects never see them.
 */
export interface PartitionedInput {
  readonly stream: string;
  readonly partitions: number;
  filter(partition: number): string;
  tickSubject(partition: number): string;
}

/** Reading one of the per-view streams (`events`, `views`, `scores`) partition by partition. */
export function partitionedInput(t: Topology, key: 'events' | 'views' | 'scores', kinds?: string): PartitionedInput {
  return {
    stream: streamName(t, key),
    partitions: t.partitions,
    filter: (p) => `${t.namespace}.v1.${key}.${kinds ?? '*'}.p${p}`,
    tickSubject: (p) => `${t.namespace}.v1.${key}.tick.p${p}`,
  };
}

/** Reading an unpartitioned stream (`anomalies`, `alerts`) as a single partition. */
export function singleInput(t: Topology, key: 'anomalies' | 'alerts' | 'activity' | 'aggregates'): PartitionedInput {
  return {
    stream: streamName(t, key),
    partitions: 1,
    filter: () => `${t.namespace}.v1.${key}.>`,
    tickSubject: () => `${t.namespace}.v1.${key}._tick`,
  };
}

/**
 * Reading the minute aggregates (`aggregates.minute.>`) as a single partition; the hours are not
 * read. Its ticks go to the aggregates' tick subject, which this filter does not select: partition
 * time moves with the minutes alone, so a stage on it sets no timers.
 */
export function minuteAggregatesInput(t: Topology): PartitionedInput {
  return { ...singleInput(t, 'aggregates'), filter: () => `${t.namespace}.v1.aggregates.minute.>` };
}

export type StreamKey = 'events' | 'views' | 'scores' | 'activity' | 'aggregates' | 'anomalies' | 'alerts' | 'predictions' | 'dead';

export interface StreamSpec {
  readonly key: StreamKey;
  readonly name: string;
  readonly subjects: string[];
  readonly description: string;
}

export function streamName(t: Topology, key: StreamKey): string {
  return `${t.namespace}-${key}`;
}

/** Every stream of the platform with the subjects it captures. */
export function streams(t: Topology): Record<StreamKey, StreamSpec> {
  const spec = (key: StreamKey, subjectList: string[], description: string): StreamSpec => ({
    key,
    name: streamName(t, key),
    subjects: subjectList,
    description,
  });
  return {
    events: spec('events', [subjects.eventsAll(t)], 'Enriched player event batches, partitioned by view id'),
    views: spec('views', [subjects.viewsAll(t)], 'Live and completed view snapshots'),
    scores: spec('scores', [subjects.scoresAll(t)], 'Per-view QoE scores'),
    activity: spec('activity', [subjects.activityAll(t)], 'What each view did between two snapshots, partitioned by view id'),
    aggregates: spec('aggregates', [subjects.aggregatesAll(t)], 'Per-minute and per-hour aggregates by cohort'),
    anomalies: spec('anomalies', [subjects.anomaliesAll(t)], 'Detected anomalies'),
    alerts: spec('alerts', [subjects.alertsAll(t)], 'Alert lifecycle transitions'),
    // Model snapshots only: the request subjects next to them are request/reply and stay out of any stream.
    predictions: spec('predictions', [subjects.predictionModelsAll(t)], 'Partial prediction models per property and partition'),
    dead: spec('dead', [subjects.deadLettersAll(t)], 'Messages consumers gave up on, with the reason'),
  };
}

/**
 * Whether a message on a subject matching the NATS filter `filter` can be stored by a stream
 * that takes `pattern` (wildcards: `*` one token, `>` all the tokens left, at least one).
 * `watch` and the console use it to refuse a filter that can only ever stay quiet.
 */
export function subjectFilterOverlaps(filter: string, pattern: string): boolean {
  const f = filter.split('.');
  const p = pattern.split('.');
  for (let i = 0; i < Math.max(f.length, p.length); i++) {
    if (f[i] === '>' || p[i] === '>') return f[i] !== undefined && p[i] !== undefined;
    if (f[i] === undefined || p[i] === undefined) return false;
    if (f[i] !== '*' && p[i] !== '*' && f[i] !== p[i]) return false;
  }
  return true;
}
