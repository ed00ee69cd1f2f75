import type { Alert } from '@sightline/contracts';
import { COLLECTIONS } from './collections';
import type { VersionedUpsert } from './versioned-upsert';

/** Order of lifecycle states at the same instant: firing, then its acknowledgement, then its resolution. */
const STATE_RANK: Readonly<Record<Alert['state'], number>> = { firing: 0, acknowledged: 1, resolved: 2 };

/**
 * Version of a transition: its time, then its state (`at * 3 + rank`, exact below 2^51 ms).
 * The latest transition of an alert is its current state.
 */
export function alertTransitionVersion(alert: Pick<Alert, 'at' | 'state'>): number {
  return alert.at * 3 + STATE_RANK[alert.state];
}

/**
 * The `alerts` document of a transition (`_id` = `alert_id`): the current state, and the time it
 * fired or was resolved (each set by its own transition and kept by the other).
 */
export function alertUpsert(alert: Alert): VersionedUpsert {
  const at = new Date(alert.at);
  return {
    collection: COLLECTIONS.alerts,
    id: alert.alert_id,
    versionField: 'transition',
    version: alertTransitionVersion(alert),
    fields: {
      transition: alertTransitionVersion(alert),
      alert_id: alert.alert_id,
      property_id: alert.property_id,
      rule_id: alert.rule_id,
      state: alert.state,
      severity: alert.severity,
      metric: alert.metric,
      cohort: alert.cohort,
      summary: alert.summary,
      observed: alert.observed,
      expected: alert.expected,
      anomaly_id: alert.anomaly_id ?? null,
      at,
      ...(alert.state === 'firing'
        ? { fired_at: new Date(alert.fired_at ?? alert.at), resolved_at: null, acknowledged_at: null, acknowledged_by: null }
        : alert.state === 'acknowledged'
          ? { acknowledged_at: at, acknowledged_by: alert.acknowledged_by ?? null }
          : { resolved_at: at }),
    },
  };
}
