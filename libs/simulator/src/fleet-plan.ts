import { drawProfile, type ViewerProfile } from './fleet';
import { simulateView, type ActiveIncident, type SimulatedView } from './player';
import { Random } from './random';
import type { Incident, IncidentCohort, Scenario } from './scenario';
import type { NetworkTrace } from './trace';

export interface GroundTruthIncident {
  readonly id: string;
  readonly kind: Incident['kind'];
  readonly cohort: IncidentCohort;
  readonly start_at: number;
  readonly end_at: number;
  readonly intensity: number;
  readonly views_affected: number;
  readonly views_failed: number;
  readonly view_ids_sample: string[];
}

/** What the evaluation tools compare detections with: when each incident ran and whom it hit. */
export interface GroundTruth {
  readonly scenario: string;
  readonly seed: number;
  readonly run_id: string;
  readonly started_at: number;
  readonly views: number;
  readonly incidents: GroundTruthIncident[];
}

export function matchesCohort(cohort: IncidentCohort, profile: ViewerProfile): boolean {
  return (
    (cohort.cdn === undefined || cohort.cdn === profile.cdn) &&
    (cohort.asn === undefined || cohort.asn === profile.network.asn) &&
    (cohort.country === undefined || cohort.country === profile.network.country) &&
    (cohort.player_name === undefined || cohort.player_name === profile.device.playerName) &&
    (cohort.player_version === undefined || cohort.player_version === profile.playerVersion) &&
    (cohort.video_id === undefined || cohort.video_id === profile.title.id)
  );
}

/**
 * The fleet of a scenario: `viewers` slots, each a viewer who watches one view after another
 * until `duration_s` is over. Slot s's k-th view depends only on the seed, s and k (each draws
 * from its own forked random stream), so runs with the same seed, run id and start time are
 * identical, beacon for beacon.
 */
export class FleetPlan {
  private readonly root: Random;
  private readonly truth = new Map<string, { views: number; failed: number; sample: string[] }>();
  private views = 0;

  constructor(
    readonly scenario: Scenario,
    private readonly traces: readonly NetworkTrace[],
    readonly runId: string,
    readonly startAt: number,
  ) {
    if (traces.length === 0) throw new Error('a fleet needs at least one network trace');
    this.root = new Random(scenario.seed);
  }

  get endAt(): number {
    return this.startAt + this.scenario.duration_s * 1000;
  }

  firstViewAt(slot: number): number {
    return this.startAt + Math.round((slot / this.scenario.viewers) * this.scenario.ramp_s * 1000);
  }

  /** The k-th view of a slot, starting at `at`. */
  view(slot: number, k: number, at: number): SimulatedView {
    const random = this.root.fork(`slot-${slot}`).fork(`view-${k}`);
    const profile = drawProfile(random, `viewer-${this.scenario.seed}-${slot}`, {
      watchMedianS: this.scenario.watch_median_s,
      liveShare: this.scenario.live_share,
    });
    const trace = random.pick(this.traces);
    const incidents: ActiveIncident[] = this.scenario.incidents
      .filter((i) => matchesCohort(i.cohort, profile))
      .map((i) => ({ id: i.id, kind: i.kind, startAt: this.startAt + i.start_s * 1000, endAt: this.startAt + i.end_s * 1000, intensity: i.intensity ?? 0.9 }));
    const view = simulateView({
      viewId: `${this.scenario.name}-${this.runId}-${slot}-${k}`,
      startAt: at,
      profile,
      trace,
      traceOffsetS: random.between(0, trace.bps.length),
      incidents,
      random,
    });
    this.record(view);
    return view;
  }

  /** When the slot's next view starts after `view`, or undefined when the fleet is done. */
  nextViewAt(slot: number, k: number, view: SimulatedView): number | undefined {
    const gap = this.root.fork(`slot-${slot}`).fork(`gap-${k}`).exponential(5000);
    const at = view.endAt + Math.round(gap);
    return at < this.endAt ? at : undefined;
  }

  groundTruth(): GroundTruth {
    return {
      scenario: this.scenario.name,
      seed: this.scenario.seed,
      run_id: this.runId,
      started_at: this.startAt,
      views: this.views,
      incidents: this.scenario.incidents.map((i) => {
        const hit = this.truth.get(i.id) ?? { views: 0, failed: 0, sample: [] };
        return {
          id: i.id,
          kind: i.kind,
          cohort: i.cohort,
          start_at: this.startAt + i.start_s * 1000,
          end_at: this.startAt + i.end_s * 1000,
          intensity: i.intensity ?? 0.9,
          views_affected: hit.views,
          views_failed: hit.failed,
          view_ids_sample: hit.sample,
        };
      }),
    };
  }

  private record(view: SimulatedView): void {
    this.views++;
    for (const id of view.outcome.incidentIds) {
      const hit = this.truth.get(id) ?? { views: 0, failed: 0, sample: [] };
      hit.views++;
      if (view.outcome.failed) hit.failed++;
      if (hit.sample.length < 20) hit.sample.push(view.viewId);
      this.truth.set(id, hit);
    }
  }
}
