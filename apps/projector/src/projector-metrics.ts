import type { WriteOutcome } from '@sightline/read-models';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The projector's Prometheus metrics, labelled by input stream or collection. */
export class ProjectorMetrics {
  readonly written: Counter<'collection'>;
  readonly unchanged: Counter<'collection'>;
  readonly invalid: Counter<'input'>;
  readonly ignored: Counter<'input'>;
  readonly writeFailures: Counter<'input'>;
  readonly lag: Gauge<'input'>;
  readonly mongoUp: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.written = new Counter({ name: 'projector_documents_written_total', help: 'Read-model documents inserted or changed', labelNames: ['collection'], registers });
    this.unchanged = new Counter({
      name: 'projector_documents_unchanged_total',
      help: 'Upserts that changed nothing because the stored document was as new or newer (replays, stale panes or revisions)',
      labelNames: ['collection'],
      registers,
    });
    this.invalid = new Counter({ name: 'projector_messages_invalid_total', help: 'Messages that were not valid JSON of their schema (dead-lettered)', labelNames: ['input'], registers });
    this.ignored = new Counter({ name: 'projector_messages_ignored_total', help: 'Control messages and messages with nothing to project', labelNames: ['input'], registers });
    this.writeFailures = new Counter({ name: 'projector_write_failures_total', help: 'Failed attempts to write a batch (retried)', labelNames: ['input'], registers });
    this.lag = new Gauge({ name: 'projector_consumer_lag_messages', help: 'Messages of the input stream not yet written and acknowledged', labelNames: ['input'], registers });
    this.mongoUp = new Gauge({ name: 'projector_mongo_up', help: '1 when the last MongoDB write or ping succeeded, 0 otherwise or when MONGO_URL is unset', registers });
  }

  recordOutcome(outcome: WriteOutcome): void {
    for (const [collection, { written, unchanged }] of outcome) {
      this.written.inc({ collection }, written);
      this.unchanged.inc({ collection }, unchanged);
    }
  }
}
