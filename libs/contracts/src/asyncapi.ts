import type { TSchema } from '@sinclair/typebox';
import { AlertSchema } from './alerts/alert';
import { CohortAggregateSchema } from './aggregates/cohort-aggregate';
import { ViewActivitySchema } from './aggregates/view-activity';
import { AnomalySchema } from './anomalies/anomaly';
import { EventBatchSchema } from './events/beacon';
import {
  PredictionErrorSchema,
  ProgressPredictionRequestSchema,
  ProgressPredictionSchema,
  StartPredictionRequestSchema,
  StartPredictionSchema,
} from './predictions/prediction';
import { PredictionModelSnapshotSchema } from './predictions/prediction-model';
import { ScoredViewSchema } from './scores/scored-view';
import { createTopology, streamName } from './topology';
import { CONTRACT_VERSION } from './version';
import { ViewSnapshotSchema } from './views/view-snapshot';

/** Strips TypeBox's symbol keys, leaving plain JSON Schema. */
function jsonSchema(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema));
}

interface ChannelSpec {
  readonly id: string;
  readonly address: string;
  readonly description: string;
  readonly message: string;
  readonly parameters?: Record<string, { description: string; enum?: string[] }>;
  /** The stream that captures the channel; none for request/reply channels on core NATS. */
  readonly stream?: Parameters<typeof streamName>[1];
  /** Request/reply: the messages the responder answers with, on the requester's reply subject. */
  readonly replies?: readonly string[];
  /** Request/reply: the queue group whose members share the requests. */
  readonly queueGroup?: string;
}

const partition = { description: 'Partition of the view: FNV-1a 32 of the view id modulo the partition count, as p<N>' };

const CHANNELS: ChannelSpec[] = [
  { id: 'events', address: '{namespace}.v1.events.beacon.{partition}', description: 'Enriched event batches from ingest; one message is one beacon of one view.', message: 'EventBatch', parameters: { partition }, stream: 'events' },
  { id: 'viewUpdated', address: '{namespace}.v1.views.updated.{partition}', description: 'Live snapshot of a view, after each batch that changed it.', message: 'ViewSnapshot', parameters: { partition }, stream: 'views' },
  { id: 'viewCompleted', address: '{namespace}.v1.views.completed.{partition}', description: 'The completed view: on viewend, or after the silence period.', message: 'ViewSnapshot', parameters: { partition }, stream: 'views' },
  { id: 'scores', address: '{namespace}.v1.scores.{kind}.{partition}', description: 'Scores of a view: live while it plays, final once complete.', message: 'ScoredView', parameters: { kind: { description: 'live or final', enum: ['live', 'final'] }, partition }, stream: 'scores' },
  { id: 'activity', address: '{namespace}.v1.activity.view.{partition}', description: 'What a view did since its previous snapshot: growth of its metrics and its transitions, at the server time of its last beacon. Input of the cohort aggregates.', message: 'ViewActivity', parameters: { partition }, stream: 'activity' },
  {
    id: 'aggregates',
    address: '{namespace}.v1.aggregates.{granularity}.{property}.{dimension}.{value}',
    description:
      'Aggregate of one cohort over one window, as panes: early every few seconds while the window is open, on_time when the watermark passes its end, late when late activity changed it. Each pane holds the whole window so far; keep the highest pane_index. Subscribe to one cohort (`sightline.v1.aggregates.minute.shop.cdn.akamai`), a dimension (`sightline.v1.aggregates.minute.shop.country.*`), a property (`sightline.v1.aggregates.minute.shop.>`) or all.',
    message: 'CohortAggregate',
    parameters: {
      granularity: { description: 'minute or hour', enum: ['minute', 'hour'] },
      property: { description: 'The property id, as a subject token' },
      dimension: { description: 'all, cdn, asn, country, region, device_type, os, browser, player, player_version, title, stream_type, custom:<name> or a configured combination such as cdn+country' },
      value: { description: 'The cohort value as a subject token: letters, digits, _ - + : kept, other UTF-8 bytes as %XX; "all", "unknown" or "other"' },
    },
    stream: 'aggregates',
  },
  { id: 'anomalies', address: '{namespace}.v1.anomalies.{metric}', description: 'Anomalies by metric, with cohort and evidence.', message: 'Anomaly', parameters: { metric: { description: 'Metric name, e.g. overall_score' } }, stream: 'anomalies' },
  { id: 'alerts', address: '{namespace}.v1.alerts.{state}', description: 'Alert lifecycle transitions.', message: 'Alert', parameters: { state: { description: 'firing or resolved', enum: ['firing', 'resolved'] } }, stream: 'alerts' },
  {
    id: 'predictionModels',
    address: '{namespace}.v1.predictions.model.{property}.{partition}',
    description:
      'The partial prediction model one partition of the final scores has learned for a property, published when it changed (at most every PREDICTIONS_PUBLISH_MS) and at least hourly. The latest message of each subject counts; merge the partitions of a property by adding their statistics (docs/predictions.md).',
    message: 'PredictionModelSnapshot',
    parameters: { property: { description: 'The property id, as a subject token' }, partition },
    stream: 'predictions',
  },
  {
    id: 'predictionRequestStart',
    address: '{namespace}.v1.predictions.request.start',
    description:
      'Request/reply on core NATS (not in a stream): send a StartPredictionRequest with a reply subject (nc.request); the anomaly-predictor answers with a StartPrediction (recommended start bitrate, expected startup time, EBVS and stall risks, with their evidence) or a PredictionError.',
    message: 'StartPredictionRequest',
    replies: ['StartPrediction', 'PredictionError'],
    queueGroup: 'anomaly-predictor',
  },
  {
    id: 'predictionRequestProgress',
    address: '{namespace}.v1.predictions.request.progress',
    description:
      'Request/reply on core NATS (not in a stream): send a ProgressPredictionRequest for a view in progress; the answer is a ProgressPrediction (risk of a stall within the horizon) or a PredictionError.',
    message: 'ProgressPredictionRequest',
    replies: ['ProgressPrediction', 'PredictionError'],
    queueGroup: 'anomaly-predictor',
  },
];

const MESSAGES: Record<string, TSchema> = {
  EventBatch: EventBatchSchema,
  ViewSnapshot: ViewSnapshotSchema,
  ScoredView: ScoredViewSchema,
  ViewActivity: ViewActivitySchema,
  CohortAggregate: CohortAggregateSchema,
  Anomaly: AnomalySchema,
  Alert: AlertSchema,
  PredictionModelSnapshot: PredictionModelSnapshotSchema,
  StartPredictionRequest: StartPredictionRequestSchema,
  StartPrediction: StartPredictionSchema,
  ProgressPredictionRequest: ProgressPredictionRequestSchema,
  ProgressPrediction: ProgressPredictionSchema,
  PredictionError: PredictionErrorSchema,
};

const ref = (path: string) => ({ $ref: `#/${path}` });
const operationId = (prefix: string, id: string) => `${prefix}${id[0]!.toUpperCase()}${id.slice(1)}`;

function channelOf(c: ChannelSpec, example: ReturnType<typeof createTopology>): Record<string, unknown> {
  return {
    address: c.address,
    description: c.description,
    parameters: { namespace: { description: 'SIGHTLINE_NAMESPACE' }, ...c.parameters },
    messages: { [c.message]: ref(`components/messages/${c.message}`) },
    ...(c.stream ? { 'x-jetstream-stream': streamName(example, c.stream).replace(/^sightline/, '{namespace}') } : {}),
    ...(c.queueGroup ? { 'x-nats-queue-group': c.queueGroup } : {}),
  };
}

/** The dynamic channel of a request's replies: the requester's inbox. */
function replyChannelOf(c: ChannelSpec): Record<string, unknown> {
  return {
    address: null,
    description: `Replies to ${c.address}: the reply subject (inbox) the requester gave.`,
    messages: Object.fromEntries((c.replies ?? []).map((m) => [m, ref(`components/messages/${m}`)])),
  };
}

/** The AsyncAPI 3.0 document of every subject Sightline publishes, built from the schemas themselves. */
export function asyncApiDocument(version: string = CONTRACT_VERSION): Record<string, unknown> {
  const example = createTopology('sightline', 8);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Sightline subjects',
      version,
      description:
        'Subjects on NATS JetStream. `{namespace}` is SIGHTLINE_NAMESPACE (default `sightline`). Every payload carries `v: 1`; ' +
        'a change that breaks a consumer gets a new version in the subject and the payload. Each subject is captured by the ' +
        'stream named in `x-jetstream-stream` (but the request subjects of predictions: request/reply on core NATS, answered by a queue group); consume with a durable consumer to resume where you left off. Messages are ' +
        'published with a Nats-Msg-Id derived from their input, so a stream never holds the same result twice. Per-view ' +
        'streams also carry ticks, control messages with the header `Sightline-Control: tick` on `{namespace}.v1.<stream>.tick.{partition}`; ' +
        'subscribe to the data subjects (or skip messages with that header).',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: '127.0.0.1:4222', protocol: 'nats', description: 'The loopback NATS of `npm start`' } },
    channels: Object.fromEntries(
      CHANNELS.flatMap((c) => [[c.id, channelOf(c, example)] as const, ...(c.replies ? [[`${c.id}Reply`, replyChannelOf(c)] as const] : [])]),
    ),
    operations: Object.fromEntries(
      CHANNELS.map((c) => [
        operationId(c.replies ? 'reply' : 'receive', c.id),
        c.replies
          ? {
              action: 'receive',
              channel: ref(`channels/${c.id}`),
              description: 'Sightline receives the request and replies on its reply subject.',
              reply: { channel: ref(`channels/${c.id}Reply`) },
            }
          : { action: 'receive', channel: ref(`channels/${c.id}`) },
      ]),
    ),
    components: {
      messages: Object.fromEntries(
        Object.keys(MESSAGES).map((name) => [name, { name, contentType: 'application/json', payload: { $ref: `#/components/schemas/${name}` } }]),
      ),
      schemas: Object.fromEntries(Object.entries(MESSAGES).map(([name, schema]) => [name, jsonSchema(schema)])),
    },
  };
}
