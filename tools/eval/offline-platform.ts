// The real-time path of Sightline in one process, on simulated time: a simulated fleet's beacons
// (as ingest would enrich them) through the sessionizer's view logic, the QoE scorer's activity
// and cohort aggregates, to whatever consumes the panes. The same libraries the services run,
// without NATS: an hour of a fleet replays in seconds, deterministically.
import type { CohortAggregate, EventBatch, ViewSnapshot } from '@sightline/contracts';
import { activityOf, CohortAggregator, DEFAULT_AGGREGATOR_OPTIONS, type ActivityCursor, type AggregatorOptions } from '@sightline/qoe-aggregates';
import { beaconsOf, FleetPlan, type GroundTruth, type Scenario, type ScheduledBeacon, type NetworkTrace, type SimulatedView } from '@sightline/simulator';
import { DEFAULT_TIMING, nextDeadline, onBatch, onTick, type SessionizerTiming, type ViewState } from '@sightline/sessionization';

type Job =
  | { at: number; seq: number; kind: 'view'; slot: number; k: number }
  | { at: number; seq: number; kind: 'beacon'; view: SimulatedView; beacon: ScheduledBeacon }
  | { at: number; seq: number; kind: 'timer'; viewId: string }
  | { at: number; seq: number; kind: 'tick' };

type NewJob = { [K in Job['kind']]: Omit<Extract<Job, { kind: K }>, 'seq'> }[Job['kind']];

/** A binary heap of jobs by time, then insertion order. */
class Queue {
  private readonly items: Job[] = [];
  private seq = 0;
  push(job: NewJob): void {
    const item = { ...job, seq: this.seq++ } as Job;
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Job | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  get size(): number {
    return this.items.length;
  }
}
const before = (x: Job, y: Job) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

export interface OfflineRun {
  readonly views: number;
  readonly snapshots: number;
  readonly panes: number;
  /** The fleet's incidents as they ran: cohorts, start and end, views hit. */
  readonly truth: GroundTruth;
}

export interface OfflineOptions {
  readonly scenario: Scenario;
  readonly traces: readonly NetworkTrace[];
  readonly startAt: number;
  readonly propertyId?: string;
  readonly timing?: SessionizerTiming;
  readonly aggregator?: AggregatorOptions;
  /** Delay from a snapshot to its activity reaching the aggregator, ms (the pipeline's hops). */
  readonly pipelineLagMs?: number;
  onSnapshot?(snapshot: ViewSnapshot, now: number, view: SimulatedView): void;
  onPane(pane: CohortAggregate, now: number): void;
}

/** The enrichment ingest would add for this viewer (the fleet's forwarded address names its network). */
function batchOf(view: SimulatedView, beacon: ScheduledBeacon, propertyId: string): EventBatch {
  const p = view.profile;
  return {
    v: 1,
    view_id: beacon.beacon.view_id,
    ...(beacon.beacon.context ? { context: beacon.beacon.context } : {}),
    enrichment: { received_at: beacon.sendAt, property_id: propertyId, country: p.network.country, asn: p.network.asn, as_org: p.network.isp, device_type: p.device.kind },
    events: beacon.beacon.events,
  };
}

export function runOffline(options: OfflineOptions): OfflineRun {
  const { scenario } = options;
  const plan = new FleetPlan(scenario, options.traces, 'eval', options.startAt);
  const timing = options.timing ?? DEFAULT_TIMING;
  const propertyId = options.propertyId ?? 'eval';
  const lag = options.pipelineLagMs ?? 1500;
  const aggregator = CohortAggregator.create(options.aggregator ?? DEFAULT_AGGREGATOR_OPTIONS);
  const queue = new Queue();
  const states = new Map<string, { state: ViewState; view: SimulatedView; timer: number | undefined }>();
  const cursors = new Map<string, ActivityCursor>();
  let snapshots = 0;
  let panes = 0;
  let views = 0;

  const deliver = (snapshot: ViewSnapshot, now: number, view: SimulatedView) => {
    snapshots++;
    options.onSnapshot?.(snapshot, now, view);
    const { activity, cursor } = activityOf(cursors.get(snapshot.view_id), snapshot);
    cursors.set(snapshot.view_id, cursor);
    if (!activity) return;
    for (const pane of aggregator.add(activity, now + lag).aggregates) {
      panes++;
      options.onPane(pane, now + lag);
    }
  };
  const schedule = (viewId: string, at: number | undefined) => {
    const entry = states.get(viewId);
    if (!entry) return;
    entry.timer = at;
    if (at !== undefined) queue.push({ at, kind: 'timer', viewId });
  };

  for (let slot = 0; slot < scenario.viewers; slot++) queue.push({ at: plan.firstViewAt(slot), kind: 'view', slot, k: 0 });
  const end = plan.endAt + 10 * 60_000;
  for (let t = options.startAt; t <= end; t += 1000) queue.push({ at: t, kind: 'tick' });

  for (let job = queue.pop(); job; job = queue.pop()) {
    switch (job.kind) {
      case 'view': {
        const view = plan.view(job.slot, job.k, job.at);
        views++;
        for (const beacon of beaconsOf(view, { intervalS: scenario.beacon_interval_s, maxEvents: 50 })) queue.push({ at: beacon.sendAt, kind: 'beacon', view, beacon });
        const next = plan.nextViewAt(job.slot, job.k, view);
        if (next !== undefined) queue.push({ at: next, kind: 'view', slot: job.slot, k: job.k + 1 });
        break;
      }
      case 'beacon': {
        const batch = batchOf(job.view, job.beacon, propertyId);
        const entry = states.get(batch.view_id);
        const { state, output } = onBatch(entry?.state, batch, timing);
        if (output.late) break;
        states.set(batch.view_id, { state, view: job.view, timer: entry?.timer });
        if (output.updated) deliver(output.updated, job.at, job.view);
        if (output.completed) deliver(output.completed, job.at, job.view);
        schedule(batch.view_id, state.status === 'active' ? nextDeadline(state, timing) : undefined);
        break;
      }
      case 'timer': {
        const entry = states.get(job.viewId);
        if (!entry || entry.timer !== job.at || entry.state.status !== 'active') break;
        const { updated, completed } = onTick(entry.state, job.at, timing);
        if (updated) deliver(updated, job.at, entry.view);
        if (completed) deliver(completed, job.at, entry.view);
        else schedule(job.viewId, nextDeadline(entry.state, timing));
        break;
      }
      case 'tick':
        for (const pane of aggregator.advance(job.at + lag)) {
          panes++;
          options.onPane(pane, job.at + lag);
        }
        break;
    }
  }
  return { views, snapshots, panes, truth: plan.groundTruth() };
}
