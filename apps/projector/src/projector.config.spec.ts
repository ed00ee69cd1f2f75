import { loadConfig } from '@sightline/runtime';
import { ProjectorConfigSchema, retentionOf, retryPolicyOf, type ProjectorConfig } from './projector.config';

const load = (env: NodeJS.ProcessEnv) => loadConfig(ProjectorConfigSchema, env) as ProjectorConfig;

describe('projector configuration', () => {
  it('runs without MONGO_URL, on port 8086, with the documented retentions', () => {
    const config = load({});
    expect(config.MONGO_URL).toBeUndefined();
    expect(config).toMatchObject({ HTTP_PORT: 8086, MONGO_DB: 'sightline', PROJECTOR_BATCH_SIZE: 500 });
    expect(retentionOf(config)).toEqual({ viewsDays: 30, minuteMetricsDays: 14, hourMetricsDays: 400, alertsDays: 90 });
  });

  it('reads MONGO_URL, the database and retentions from the environment', () => {
    const config = load({ MONGO_URL: 'mongodb://db:27017/?replicaSet=rs0', MONGO_DB: 'qoe', PROJECTOR_VIEWS_TTL_DAYS: '7', PROJECTOR_MINUTE_TTL_DAYS: '0.5' });
    expect(config).toMatchObject({ MONGO_URL: 'mongodb://db:27017/?replicaSet=rs0', MONGO_DB: 'qoe' });
    expect(retentionOf(config)).toMatchObject({ viewsDays: 7, minuteMetricsDays: 0.5 });
  });

  it.each([
    ['MONGO_URL', 'postgres://x'],
    ['MONGO_DB', 'a.b'],
    ['PROJECTOR_VIEWS_TTL_DAYS', '0'],
    ['PROJECTOR_HOUR_TTL_DAYS', 'forever'],
    ['PROJECTOR_BATCH_SIZE', '5000'],
  ])('refuses %s=%s and names it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('caps the retry pause at half the ack wait, so a held batch is never redelivered meanwhile', () => {
    expect(retryPolicyOf(load({}))).toEqual({ baseMs: 250, maxMs: 10_000 });
    expect(retryPolicyOf(load({ SIGHTLINE_ACK_WAIT_MS: '4000' }))).toEqual({ baseMs: 250, maxMs: 2000 });
  });
});
