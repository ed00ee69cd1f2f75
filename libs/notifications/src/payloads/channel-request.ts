import type { Channel } from '@sightline/contracts';
import type { NotificationJob } from '../notification-job';
import type { OutboundRequest } from './outbound-request';
import { pagerDutyRequest } from './pagerduty';
import { slackRequest } from './slack';
import { webhookRequest } from './webhook';

/** The request that delivers `job` through `channel`, sent at `nowMs`. */
export function channelRequest(channel: Channel, job: NotificationJob, nowMs: number): OutboundRequest {
  switch (channel.kind) {
    case 'webhook':
      return webhookRequest(channel, job, nowMs);
    case 'slack':
      return slackRequest(channel, job);
    case 'pagerduty':
      return pagerDutyRequest(channel, job);
  }
}
