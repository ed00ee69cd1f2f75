export { connectJetStream, serverAtLeast } from './connection';
export type { JetStreamConnection, ConnectOptions } from './connection';
export type {
  ConnectionState,
  ConsumerState,
  Listening,
  PublishOptions,
  ReadFrom,
  ReadOptions,
  ReceivedMessage,
  SnapshotOptions,
  StoredMessage,
  StreamSnapshot,
  StoredMessages,
  StreamState,
} from './port/port-types';
export { ensureStreams } from './provisioning';
export type { StreamOptions } from './provisioning';
export { publishJson, encodeJson } from './publisher';
export { AsyncPublisher } from './async-publisher';
export type { StoredAck } from './async-publisher';
export type { OutboundMessage, PublishResult } from './publisher';
export { PartitionedConsumer } from './partitioned/partitioned-consumer';
export type { PartitionedConsumerOptions } from './partitioned/partitioned-consumer';
export { CONTROL_HEADER } from './partitioned/partition-ticks';
export type { ProcessorTuning, ProcessorHooks, ProcessorLogger } from './partitioned/processor-options';
export { ChangelogStore } from './partitioned/changelog-store';
export type { ChangelogOptions, ChangelogToken } from './partitioned/changelog-store';
export { FencedError } from './partitioned/checkpoint-types';
export type { KeyRecord, Position, PartitionCheckpoint } from './partitioned/checkpoint-types';
export { DeadLetterSchema, deadLetterOf } from './dead-letter';
export type { DeadLetter, GiveUp } from './dead-letter';
export { keyedStage, statelessStage } from './stage/stage';
export type { Emit, KeyedStage, KeyedStepContext, StateCodec, Stage, StatelessStage, StepContext, StepResult } from './stage/stage';
export { DurableWorker } from './durable/durable-worker';
export type { BatchOutcome, Delivery, DurableReading, DurableWorkerHooks, DurableWorkerOptions, HeldBatch, ReplayReading } from './durable/worker-options';
export { WatchedBucket } from './kv/watched-bucket';
export type { BucketLogger, Expectation, WatchedBucketOptions } from './kv/watched-bucket';
export { documentValidator } from './kv/document-validator';
export type { DocumentCheck, DocumentValidator } from './kv/document-validator';
export type { DocumentChange, DocumentListener } from './kv/document-change';
export { InvalidDocumentError, RevisionConflictError } from './kv/bucket-errors';
