export { resolveTestServices, natsUrl, redisUrl, mongoUrl } from './test-services';
export type { TestServices } from './test-services';
export { uniqueNamespace, deleteNamespace } from './namespace';
export { NatsServerProcess, freePort } from './nats-server-process';
export { describeWithMongo } from './mongo';
export { ServiceProcess } from './service-process';
export { expectCommittedJson } from './golden-file';
