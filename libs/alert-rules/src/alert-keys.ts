import type { Anomaly, CohortAggregate } from '@sightline/contracts';

/** The state key of an anomaly: property, metric and cohort (what an anomaly rule groups by). */
export function anomalyKey(anomaly: Anomaly): string {
  const cohort = Object.keys(anomaly.cohort)
    .sort()
    .map((k) => `${k}=${anomaly.cohort[k]}`)
    .join(',');
  return `${anomaly.property_id}|${anomaly.metric}|${cohort}`;
}

/** The state key of a minute aggregate: property and cohort (what threshold rules group by). */
export function aggregateKey(aggregate: CohortAggregate): string {
  return `${aggregate.property_id}|${aggregate.dimension}|${aggregate.value}`;
}
