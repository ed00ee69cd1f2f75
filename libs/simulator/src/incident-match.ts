import type { Alert } from '@sightline/contracts';
import type { GroundTruthIncident } from './fleet-plan';
import type { IncidentCohort } from './scenario';

/** How long after an incident ends an alert still counts as its detection. */
export const ALERT_GRACE_MS = 5 * 60 * 1000;

/**
 * The incident an alert points at: every dimension the alert's cohort shares with the incident's
 * cohort agrees, at least one is shared, and the alert fired while the incident ran (or within
 * the grace period after).
 */
export function incidentOf(alert: Pick<Alert, 'cohort' | 'at'>, incidents: readonly GroundTruthIncident[]): GroundTruthIncident | undefined {
  return incidents.find((incident) => {
    if (alert.at < incident.start_at || alert.at > incident.end_at + ALERT_GRACE_MS) return false;
    const shared = (Object.keys(incident.cohort) as (keyof IncidentCohort)[]).filter((k) => alert.cohort[k] !== undefined);
    return shared.length > 0 && shared.every((k) => String(incident.cohort[k]) === alert.cohort[k]);
  });
}

export function describeCohort(cohort: Record<string, unknown>): string {
  return Object.entries(cohort)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}
