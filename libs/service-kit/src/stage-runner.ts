import type { TSchema } from '@sinclair/typebox';
import { PartitionedConsumer, type JetStreamConnection, type ProcessorLogger, type ProcessorTuning, type Stage } from '@sightline/messaging';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface StageRunnerOptions {
  readonly connection: JetStreamConnection;
  /** Prefix of the KV buckets and streams for state and leases (the namespace). */
  readonly bucketPrefix: string;
  readonly leaseTtlMs: number;
  /** Tuning every stage starts from; a stage's own tuning overrides it. */
  readonly tuning: ProcessorTuning;
  readonly logger: ProcessorLogger;
  readonly metrics: Registry;
}

/**
 * Runs a service's stages on the exactly-once core (one partitioned consumer group each, see
 * docs/exactly-once.md) and reports them: messages processed by outcome, checkpoint times, and
 * the partitions this instance owns.
 */
export class StageRunner {
  private readonly consumers: PartitionedConsumer<TSchema, unknown>[] = [];
  private readonly processed: Counter<'group' | 'outcome'>;
  private readonly checkpoints: Histogram<'group'>;

  constructor(private readonly options: StageRunnerOptions) {
    this.processed = new Counter({
      name: 'sightline_messages_processed_total',
      help: 'Messages processed, by consumer group and outcome (ok, dead, skipped as already applied)',
      labelNames: ['group', 'outcome'],
      registers: [options.metrics],
    });
    this.checkpoints = new Histogram({
      name: 'sightline_checkpoint_seconds',
      help: 'Time to checkpoint a partition: outputs confirmed, keys and position saved',
      labelNames: ['group'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [options.metrics],
    });
    const consumers = this.consumers;
    new Gauge({
      name: 'sightline_partitions_owned',
      help: 'Partitions this instance processes, by consumer group',
      labelNames: ['group'],
      registers: [options.metrics],
      collect() {
        for (const c of consumers) this.set({ group: c.group }, c.owned().length);
      },
    });
  }

  /** Consumer groups started so far. */
  get groups(): string[] {
    return this.consumers.map((c) => c.group);
  }

  async start(stages: readonly Stage[]): Promise<void> {
    for (const declared of stages) {
      const stage = { ...declared, tuning: { ...this.options.tuning, ...declared.tuning } } as Stage;
      const group = stage.name;
      const consumer = new PartitionedConsumer<TSchema, unknown>({
        connection: this.options.connection,
        stage,
        bucketPrefix: this.options.bucketPrefix,
        logger: this.options.logger,
        leaseTtlMs: this.options.leaseTtlMs,
        hooks: {
          onProcessed: (outcome, count) => this.processed.inc({ group, outcome }, count),
          onCheckpoint: (ms) => this.checkpoints.observe({ group }, ms / 1000),
        },
      });
      await consumer.start();
      this.consumers.push(consumer);
    }
  }

  /** Stops pulling, finishes in-flight messages, checkpoints and hands the partitions over. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.stop()));
  }
}
