import type { Alert, Cohort, Severity } from '@sightline/contracts';

/**
 * The life of one alert (one rule, property and cohort: the group), as plain JSON kept as keyed
 * state. It moves inactive → pending (condition met) → firing (met for the trigger time) →
 * resolved (clear for the resolve time) → inactive; a condition that clears while pending goes
 * back to inactive without a word. Every firing and resolution is a published transition.
 */
export interface AlertInstance {
  readonly alert_id: string;
  readonly rule_id: string;
  readonly rule_kind: 'threshold' | 'anomaly';
  readonly property_id: string;
  readonly cohort: Cohort;
  metric: string;
  phase: 'inactive' | 'pending' | 'firing';
  /** When the condition was first met in this run of it (pending or firing), ms. */
  since: number | null;
  /** While firing: when the condition was last seen clear, from which the resolve time runs. */
  clearSince: number | null;
  firedAt: number | null;
  /** Last time the condition was seen met (anomaly rules resolve after auto_resolve_ms without one). */
  lastMetAt: number | null;
  severity: Severity;
  observed: number;
  expected: number;
  summary: string;
  anomalyId?: string;
  /** Times of recent firings and resolutions, for flapping. */
  flips: number[];
  flapping: boolean;
}

/** What a rule saw of its cohort at `now`. */
export interface Observation {
  readonly met: boolean;
  readonly observed: number;
  readonly expected: number;
  readonly summary: string;
  readonly severity: Severity;
  readonly metric: string;
  readonly anomalyId?: string;
}

export interface Timing {
  /** How long the condition must hold before firing. */
  readonly triggerAfterMs: number;
  /** How long it must stay clear before resolving. */
  readonly resolveAfterMs: number;
}

/** A pending condition not seen met for this long is dropped (its cohort went quiet). */
export const STALE_MS = 60_000;

/** Flapping: this many firings and resolutions within the window hold notifications back. */
export const FLAP_TRANSITIONS = 4;
export const FLAP_WINDOW_MS = 30 * 60_000;

export function newInstance(ids: Pick<AlertInstance, 'alert_id' | 'rule_id' | 'rule_kind' | 'property_id' | 'cohort' | 'metric'>): AlertInstance {
  return { ...ids, phase: 'inactive', since: null, clearSince: null, firedAt: null, lastMetAt: null, severity: 'warning', observed: 0, expected: 0, summary: '', flips: [], flapping: false };
}

/** The transition published for an instance at `at`. */
function transition(i: AlertInstance, state: 'firing' | 'resolved', at: number, channels: readonly string[]): Alert {
  return {
    v: 1,
    alert_id: i.alert_id,
    property_id: i.property_id,
    rule_id: i.rule_id,
    rule_kind: i.rule_kind,
    state,
    severity: i.severity,
    metric: i.metric,
    cohort: i.cohort,
    summary: state === 'resolved' ? `resolved: ${i.summary}` : i.summary,
    observed: i.observed,
    expected: i.expected,
    ...(i.anomalyId ? { anomaly_id: i.anomalyId } : {}),
    at,
    fired_at: i.firedAt!,
    transition_id: `${i.alert_id}:${state}:${i.firedAt}`,
    flapping: i.flapping,
    notify: !i.flapping,
    channels: [...channels],
  };
}

function flip(i: AlertInstance, at: number): void {
  i.flips = [...i.flips.filter((t) => at - t < FLAP_WINDOW_MS), at];
  // Damped: flapping starts at FLAP_TRANSITIONS flips in the window and ends once it is calm again.
  i.flapping = i.flips.length >= FLAP_TRANSITIONS || (i.flapping && i.flips.length > 1);
}

/**
 * Applies an observation (or, with `observation` undefined, just the passing of time) to the
 * instance, in place; returns it and the transition to publish, if any.
 */
export function step(
  i: AlertInstance,
  observation: Observation | undefined,
  now: number,
  timing: Timing,
  channels: readonly string[],
): { instance: AlertInstance; alert?: Alert } {
  if (observation) {
    i.metric = observation.metric;
    if (observation.met) {
      i.lastMetAt = now;
      i.observed = observation.observed;
      i.expected = observation.expected;
      i.summary = observation.summary;
      i.severity = observation.severity;
      if (observation.anomalyId) i.anomalyId = observation.anomalyId;
    } else if (i.phase === 'firing') {
      i.observed = observation.observed;
    }
  }
  if (i.phase === 'inactive') {
    if (!observation?.met) return { instance: i };
    i.phase = 'pending';
    i.since = now;
  }
  switch (i.phase) {
    case 'pending': {
      const fresh = i.lastMetAt !== null && now - i.lastMetAt <= STALE_MS;
      if ((observation && !observation.met) || !fresh) {
        i.phase = 'inactive';
        i.since = null;
        return { instance: i };
      }
      // A zero trigger time fires on the observation that made it pending.
      if (now - i.since! < timing.triggerAfterMs) return { instance: i };
      i.phase = 'firing';
      i.firedAt = now;
      i.clearSince = null;
      flip(i, now);
      return { instance: i, alert: transition(i, 'firing', now, channels) };
    }
    case 'firing': {
      if (observation?.met) {
        i.clearSince = null;
        return { instance: i };
      }
      if (observation) i.clearSince ??= now;
      // Clear since an observation said so, or, with none coming (the cohort went quiet, or no
      // anomaly renewed it), since the condition was last met.
      const clearFrom = i.clearSince ?? i.lastMetAt ?? now;
      if (now - clearFrom < timing.resolveAfterMs) return { instance: i };
      i.phase = 'inactive';
      i.since = null;
      i.clearSince = null;
      flip(i, now);
      const alert = transition(i, 'resolved', now, channels);
      i.firedAt = null;
      return { instance: i, alert };
    }
  }
}

/** When the instance next needs the clock (to fire a pending alert or resolve a clear one), or undefined. */
export function deadlineOf(i: AlertInstance, timing: Timing): number | undefined {
  if (i.phase === 'pending' && i.since !== null) return Math.min(i.since + timing.triggerAfterMs, (i.lastMetAt ?? i.since) + STALE_MS + 1);
  if (i.phase === 'firing') {
    const clearFrom = i.clearSince ?? i.lastMetAt;
    return clearFrom === null ? undefined : clearFrom + timing.resolveAfterMs;
  }
  return undefined;
}

/** The resolution of an alert whose rule was removed or disabled (undefined if it was not firing). */
export function retire(i: AlertInstance, now: number, reason: string): Alert | undefined {
  if (i.phase !== 'firing') return undefined;
  return { ...transition({ ...i, summary: `${reason}: ${i.summary}` }, 'resolved', now, []), summary: `resolved (${reason}): ${i.summary}` };
}
