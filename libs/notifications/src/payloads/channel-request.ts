import type { Channel } from '@sightline/contracts';
import type { NotificationJob } from '../notification-job';
import type { HmacSha256Hex } from '../signature';
import type { OutboundRequest } from './outbound-request';
import { pagerDutyRequest } from './pagerduty';
import { slackRequest } from './slack';
import { webhookRequest } from './webhook';

/** The request that delivers `job` through `channel`, sent at `nowMs`; `hmac` signs webhooks. */
export function channelRequest(channel: Channel, job: NotificationJob, nowMs: number, hmac: HmacSha256Hex): OutboundRequest {
  switch (channel.kind) {
    case 'webhook':
      return webhookRequest(channel, job, nowMs, hmac);
    case 'slack':
      return slackRequest(channel, job);
    case 'pagerduty':
      return pagerDutyRequest(channel, job);
  }
}
