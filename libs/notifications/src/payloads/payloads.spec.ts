import type { Channel } from '@sightline/contracts';
import { sampleAlert } from '../alert.fixture';
import { deliveryKeyOf } from '../delivery-key';
import { hmacSha256Hex } from '../hmac.fixture';
import type { NotificationJob } from '../notification-job';
import { verifySignature } from '../signature';
import { channelRequest } from './channel-request';

const NOW = 1_750_000_123_456;

function job(overrides: Parameters<typeof sampleAlert>[0] = {}, channelId = 'ops'): NotificationJob {
  const alert = sampleAlert(overrides);
  return { delivery_key: deliveryKeyOf(alert, channelId), channel_id: channelId, alert };
}

describe('webhook request', () => {
  const channel: Channel = { id: 'ops', kind: 'webhook', url: 'https://hooks.example.com/sightline', secret: 'whsec_0123456789abcdef', enabled: true };

  it('posts the alert with the idempotency key, the time and a signature that verifies', () => {
    const request = channelRequest(channel, job(), NOW, hmacSha256Hex);
    expect(JSON.parse(request.body)).toEqual(sampleAlert());
    expect(request.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Idempotency-Key': 'anomalies:poor-view/1:demo:view-1:firing:1:ops',
      'X-Sightline-Timestamp': '1750000123',
    });
    const verified = verifySignature({
      secret: channel.secret!,
      signature: request.headers['X-Sightline-Signature'],
      timestamp: request.headers['X-Sightline-Timestamp'],
      body: request.body,
      nowS: NOW / 1000,
      toleranceS: 300,
    }, hmacSha256Hex);
    expect(verified).toEqual({ ok: true });
  });

  it('is not signed when the channel has no secret', () => {
    const request = channelRequest({ ...channel, secret: undefined }, job(), NOW, hmacSha256Hex);
    expect(request.headers['X-Sightline-Signature']).toBeUndefined();
  });
});

describe('Slack request', () => {
  const channel: Channel = { id: 'ops', kind: 'slack', url: 'https://hooks.slack.com/services/T/B/X', enabled: true };

  it('is a text and blocks message naming state, severity, summary and cohort', () => {
    const message = JSON.parse(channelRequest(channel, job({ summary: 'Startup <slow> & failing' }), NOW, hmacSha256Hex).body);
    expect(message.text).toBe('[FIRING] WARNING: Startup &lt;slow&gt; &amp; failing');
    expect(message.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: ':rotating_light: *[FIRING] WARNING: Startup &lt;slow&gt; &amp; failing*' } });
    expect(JSON.stringify(message.blocks)).toContain('Cohort: cdn=fastly player_name=hls.js');
    expect(message.blocks[1].fields).toContainEqual({ type: 'mrkdwn', text: '*overall_score*\n43 (expected 50)' });
  });

  it('says RESOLVED for a resolved alert and "all" for the whole audience', () => {
    const message = JSON.parse(channelRequest(channel, job({ state: 'resolved', cohort: {} }), NOW, hmacSha256Hex).body);
    expect(message.text).toMatch(/^\[RESOLVED\] WARNING/);
    expect(JSON.stringify(message.blocks)).toContain('Cohort: all');
  });
});

describe('PagerDuty request', () => {
  const channel: Channel = { id: 'pager', kind: 'pagerduty', url: 'https://events.pagerduty.com/v2/enqueue', routing_key: 'R0UT1NGKEY', enabled: true };

  it('triggers with the alert id as dedup key and a payload', () => {
    const event = JSON.parse(channelRequest(channel, job({ severity: 'critical' }, 'pager'), NOW, hmacSha256Hex).body);
    expect(event).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'anomalies:poor-view/1:demo:view-1',
      payload: {
        summary: 'View view-1 scored 43, below 50',
        source: 'sightline/demo',
        severity: 'critical',
        timestamp: new Date(1_750_000_000_000).toISOString(),
        component: 'overall_score',
        group: 'poor-view',
        class: 'alert',
        custom_details: { alert_id: 'anomalies:poor-view/1:demo:view-1', cohort: { cdn: 'fastly', player_name: 'hls.js' }, observed: 43, expected: 50 },
      },
    });
  });

  it.each([
    ['resolved', 'resolve'],
    ['acknowledged', 'acknowledge'],
  ] as const)('%s becomes %s on the same dedup key, without payload', (state, action) => {
    const event = JSON.parse(channelRequest(channel, job({ state }, 'pager'), NOW, hmacSha256Hex).body);
    expect(event).toEqual({ routing_key: 'R0UT1NGKEY', event_action: action, dedup_key: 'anomalies:poor-view/1:demo:view-1' });
  });
});
