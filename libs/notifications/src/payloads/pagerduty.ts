import type { Alert, Channel } from '@sightline/contracts';
import type { NotificationJob } from '../notification-job';
import { IDEMPOTENCY_HEADER } from '../signature';
import type { OutboundRequest } from './outbound-request';

const EVENT_ACTION: Record<Alert['state'], 'trigger' | 'resolve' | 'acknowledge'> = {
  firing: 'trigger',
  resolved: 'resolve',
  acknowledged: 'acknowledge',
};

/** PagerDuty's summary limit (Events API v2). */
const SUMMARY_MAX = 1024;

/**
 * A PagerDuty Events API v2 event. `dedup_key` is the alert id, so every transition of one
 * alert lands on one incident: a repeated trigger is merged, a resolve closes it. Only a
 * trigger carries a payload (PagerDuty ignores it on resolve and acknowledge).
 */
export function pagerDutyRequest(channel: Channel, job: NotificationJob): OutboundRequest {
  const { alert } = job;
  if (!channel.routing_key) throw new Error(`PagerDuty channel ${channel.id} has no routing_key`);
  const event: Record<string, unknown> = {
    routing_key: channel.routing_key,
    event_action: EVENT_ACTION[alert.state],
    dedup_key: alert.alert_id,
  };
  if (alert.state === 'firing') {
    event.payload = {
      summary: alert.summary.slice(0, SUMMARY_MAX),
      source: `sightline/${alert.property_id}`,
      // Sightline's severities are a subset of PagerDuty's (critical, error, warning, info).
      severity: alert.severity,
      timestamp: new Date(alert.at).toISOString(),
      component: alert.metric,
      group: alert.rule_id,
      class: alert.rule_kind ?? 'alert',
      custom_details: {
        alert_id: alert.alert_id,
        cohort: alert.cohort,
        observed: alert.observed,
        expected: alert.expected,
        ...(alert.anomaly_id ? { anomaly_id: alert.anomaly_id } : {}),
      },
    };
  }
  return { url: channel.url, headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: job.delivery_key }, body: JSON.stringify(event) };
}
