import type { Alert, Channel } from '@sightline/contracts';
import type { NotificationJob } from '../notification-job';
import { IDEMPOTENCY_HEADER } from '../signature';
import type { OutboundRequest } from './outbound-request';

const STATE_LABEL: Record<Alert['state'], string> = { firing: 'FIRING', resolved: 'RESOLVED', acknowledged: 'ACKNOWLEDGED' };
const STATE_EMOJI: Record<Alert['state'], string> = { firing: ':rotating_light:', resolved: ':white_check_mark:', acknowledged: ':eyes:' };

/** A Slack incoming-webhook message: `text` (notifications, fallbacks) and Block Kit `blocks`. */
export function slackRequest(channel: Channel, job: NotificationJob): OutboundRequest {
  const { alert } = job;
  const headline = `[${STATE_LABEL[alert.state]}] ${alert.severity.toUpperCase()}: ${alert.summary}`;
  const cohort = cohortText(alert.cohort);
  const message = {
    text: escape(headline),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${STATE_EMOJI[alert.state]} *${escape(headline)}*` } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Severity*\n${alert.severity}` },
          { type: 'mrkdwn', text: `*Property*\n${escape(alert.property_id)}` },
          { type: 'mrkdwn', text: `*Rule*\n${escape(alert.rule_id)}` },
          { type: 'mrkdwn', text: `*${escape(alert.metric)}*\n${alert.observed} (expected ${alert.expected})` },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Cohort: ${escape(cohort)} | alert ${escape(alert.alert_id)}` }] },
    ],
  };
  // Slack ignores the header; it is sent for proxies and logs that dedupe by it.
  return { url: channel.url, headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: job.delivery_key }, body: JSON.stringify(message) };
}

function cohortText(cohort: Alert['cohort']): string {
  const entries = Object.entries(cohort).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'all' : entries.map(([k, v]) => `${k}=${v}`).join(' ');
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
