export interface ProcessorLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ProcessorTuning {
  /** Checkpoint at least this often while messages flow, ms. Default 500. */
  readonly checkpointIntervalMs?: number;
  /** Checkpoint after this many messages. Default 10000. */
  readonly checkpointEveryMessages?: number;
  /** Outputs in flight before processing waits for a checkpoint. Default 5000. */
  readonly maxPendingPublishes?: number;
  /** Messages buffered from the server. Default 1000. */
  readonly pullBatch?: number;
  /**
   * Runs of a failing step (each from the last checkpoint) before its message is dead-lettered,
   * or its timer dropped. Default 3.
   */
  readonly maxAttempts?: number;
  /** Publish a tick when the partition has been silent this long, ms (stages with timers). Default 1000. */
  readonly tickIntervalMs?: number;
  /** Server ack wait of the consumer, ms. Default 30000. */
  readonly ackWaitMs?: number;
}

export const DEFAULT_TUNING: Required<ProcessorTuning> = {
  checkpointIntervalMs: 500,
  checkpointEveryMessages: 10000,
  maxPendingPublishes: 5000,
  pullBatch: 1000,
  maxAttempts: 3,
  tickIntervalMs: 1000,
  ackWaitMs: 30_000,
};

export interface ProcessorHooks {
  onProcessed?(outcome: 'ok' | 'dead' | 'skipped', count: number): void;
  onCheckpoint?(durationMs: number, keys: number): void;
}
