import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { supersedes } from '@sightline/alert-rules';
import { AlertSchema, AnomalySchema, CohortAggregateSchema, compileValidator, partitionOf, ScoredViewSchema, streams, subjects, ViewSnapshotSchema, type Alert, type Anomaly, type CohortAggregate, type EventBatch } from '@sightline/contracts';
import { ViewIndex, type ViewSummary } from '@sightline/console-queries';
import { DurableWorker, type Listening } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import type { Static, TSchema } from '@sinclair/typebox';
import type { ConsoleConfig } from './console.config';

/** What the live stream pushes: a pane of an open minute, a view's latest state, an anomaly, an alert transition. */
export type LiveUpdate =
  | { readonly kind: 'minute'; readonly property_id: string; readonly data: CohortAggregate }
  | { readonly kind: 'view'; readonly property_id: string; readonly data: ViewSummary }
  | { readonly kind: 'anomaly'; readonly property_id: string; readonly data: Anomaly }
  | { readonly kind: 'alert'; readonly property_id: string; readonly data: Alert };

const isAggregate = compileValidator(CohortAggregateSchema);
const HOUR_MS = 3_600_000;
/** Anomalies kept in memory at most, the oldest dropped first. */
const MAX_ANOMALIES = 10_000;

/**
 * The console's in-memory read models of the recent past, replayed from the streams at start
 * and then followed: views (snapshots and scores of the last CONSOLE_VIEWS_HOURS), every alert's
 * latest transition, the anomalies of the last CONSOLE_ANOMALIES_HOURS; plus the open minutes'
 * panes as they are published. Each instance of the console reads its own copy (ordered
 * consumers, nothing acknowledged), so instances can be added behind a load balancer. Ready once
 * the replays have caught up.
 */
@Injectable()
export class ConsoleData implements OnModuleInit, OnModuleDestroy {
  readonly views: ViewIndex;
  private readonly alerts = new Map<string, Alert>();
  private readonly anomalyList: Anomaly[] = [];
  private readonly workers: DurableWorker<TSchema>[] = [];
  private readonly listeners = new Set<(update: LiveUpdate) => void>();
  private minutes: Listening | undefined;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<ConsoleConfig>) {
    const { jetstream, topology, logger, config } = context;
    const all = streams(topology);
    this.views = new ViewIndex(config.CONSOLE_VIEWS_MAX);
    const since = (hours: number) => ({ startTime: Date.now() - hours * HOUR_MS });
    const replay = <T extends TSchema>(name: string, stream: string, filterSubject: string, from: 'start' | { startTime: number }, schema: T, handle: (value: Static<T>) => void) => {
      const worker = new DurableWorker({
        connection: jetstream,
        stream,
        filterSubject,
        reading: { kind: 'replay', from },
        schema,
        batchSize: 1000,
        handle: (batch) => {
          for (const { value } of batch) handle(value);
        },
        logger,
      });
      this.workers.push(worker as unknown as DurableWorker<TSchema>);
      context.readiness.push(worker.readiness(name));
    };
    replay('views', all.views.name, subjects.viewsAll(topology), since(config.CONSOLE_VIEWS_HOURS), ViewSnapshotSchema, (s) => {
      if (this.views.applySnapshot(s)) this.emit({ kind: 'view', property_id: s.property_id, data: this.views.get(s.view_id)! });
    });
    replay('scores', all.scores.name, subjects.scoresAll(topology), since(config.CONSOLE_VIEWS_HOURS + 1), ScoredViewSchema, (s) => {
      if (this.views.applyScore(s)) this.emit({ kind: 'view', property_id: s.property_id, data: this.views.get(s.view_id)! });
    });
    replay('alerts', all.alerts.name, subjects.alertsAll(topology), 'start', AlertSchema, (a) => {
      if (!supersedes(this.alerts.get(a.alert_id), a)) return;
      this.alerts.set(a.alert_id, a);
      this.emit({ kind: 'alert', property_id: a.property_id, data: a });
    });
    replay('anomalies', all.anomalies.name, subjects.anomaliesAll(topology), since(config.CONSOLE_ANOMALIES_HOURS), AnomalySchema, (a) => {
      this.anomalyList.push(a);
      if (this.anomalyList.length > MAX_ANOMALIES) this.anomalyList.shift();
      this.emit({ kind: 'anomaly', property_id: a.property_id, data: a });
    });
  }

  async onModuleInit(): Promise<void> {
    const { jetstream, topology } = this.context;
    // The open minute of every property's `all` cohort, pushed as published (core NATS: JetStream's own messages, not stored again).
    this.minutes = jetstream.subscribe(`${topology.namespace}.v1.aggregates.minute.*.all.all`, (m) => {
      let value: unknown;
      try {
        value = m.json();
      } catch {
        return;
      }
      const checked = isAggregate.validate(value, 1);
      if (checked.ok) this.emit({ kind: 'minute', property_id: checked.value.property_id, data: checked.value });
    });
    await Promise.all(this.workers.map((w) => w.start()));
  }

  async onModuleDestroy(): Promise<void> {
    await this.minutes?.stop();
    await Promise.all(this.workers.map((w) => w.stop()));
  }

  /** Calls `listener` with every update until the returned function is called. */
  listen(listener: (update: LiveUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  alertList(filter: { propertyId?: (id: string) => boolean; state?: string }): Alert[] {
    return [...this.alerts.values()].filter((a) => (!filter.propertyId || filter.propertyId(a.property_id)) && (!filter.state || a.state === filter.state)).sort((a, b) => b.at - a.at);
  }

  alert(alertId: string): Alert | undefined {
    return this.alerts.get(alertId);
  }

  /** Applies a transition this instance published, before the replay brings it back. */
  applyAlert(alert: Alert): void {
    if (supersedes(this.alerts.get(alert.alert_id), alert)) this.alerts.set(alert.alert_id, alert);
  }

  anomalies(propertyId: string, from: number, to: number): Anomaly[] {
    return this.anomalyList.filter((a) => a.property_id === propertyId && a.detected_at >= from && a.detected_at < to).reverse();
  }

  anomalyById(anomalyId: string): Anomaly | undefined {
    for (let i = this.anomalyList.length - 1; i >= 0; i--) if (this.anomalyList[i]!.anomaly_id === anomalyId) return this.anomalyList[i];
    return undefined;
  }

  /** Properties seen in views or alerts. */
  knownProperties(): string[] {
    const out = new Set<string>();
    for (const a of this.alerts.values()) out.add(a.property_id);
    return [...out];
  }

  /**
   * The event batches of one view, read from its partition of the events stream from just
   * before its first snapshot to just after its last beacon.
   */
  async events(view: ViewSummary): Promise<{ batches: EventBatch[]; truncated: boolean }> {
    const { jetstream, topology } = this.context;
    const snapshot = await jetstream.readSnapshot({
      stream: streams(topology).events.name,
      filterSubject: subjects.events(topology, partitionOf(topology, view.view_id)),
      from: { startTime: Math.max(0, view.first_received_at - 15_000) },
      until: view.last_received_at + 5_000,
      limit: 200_000,
    });
    const batches: EventBatch[] = [];
    for (const m of snapshot.messages) {
      if (m.control) continue;
      const batch = m.json<EventBatch>();
      if (batch.view_id === view.view_id) batches.push(batch);
    }
    return { batches, truncated: snapshot.truncated };
  }

  private emit(update: LiveUpdate): void {
    for (const listener of this.listeners) listener(update);
  }
}
