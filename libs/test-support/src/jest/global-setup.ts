import { resolveTestServices } from '../test-services';

/** Finds NATS, Redis and MongoDB once per run and hands their URLs to every test worker. */
export default async function globalSetup(): Promise<void> {
  const services = await resolveTestServices();
  process.env.NATS_URL = services.natsUrl;
  process.env.REDIS_URL = services.redisUrl;
  if (services.mongoUrl) process.env.MONGO_URL = services.mongoUrl;
  if (services.mongoSkipReason) process.env.SIGHTLINE_MONGO_SKIP_REASON = services.mongoSkipReason;
  (globalThis as { __sightlineServices?: typeof services }).__sightlineServices = services;
}
