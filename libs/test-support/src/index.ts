export { resolveTestServices, natsUrl, redisUrl, mongoUrl, DEFAULT_NATS_URL, DEFAULT_REDIS_URL } from './test-services';
export type { TestServices } from './test-services';
export { uniqueNamespace, deleteNamespace } from './namespace';
export { NatsServerProcess, freePort, NATS_SERVER_BINARY } from './nats-server-process';
export { describeWithMongo } from './mongo';
export { ServiceProcess } from './service-process';
export { expectCommittedJson } from './golden-file';
