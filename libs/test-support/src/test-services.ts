/**
 * Finds the NATS, Redis and MongoDB servers tests run against. In order of preference:
 * a URL in the environment (`NATS_URL`, `REDIS_URL`, `MONGO_URL`); a container started with
 * testcontainers where a Docker engine exists; the loopback services (NATS and Redis only).
 * MongoDB has no loopback fallback: without it, its tests are skipped and say why.
 */

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface TestServices {
  readonly natsUrl: string;
  readonly redisUrl: string;
  readonly mongoUrl: string | undefined;
  /** Why MongoDB tests are skipped, when they are. */
  readonly mongoSkipReason: string | undefined;
  /** Stops the containers this call started. */
  stop(): Promise<void>;
}

interface StartedContainer {
  getHost(): string;
  getMappedPort(port: number): number;
  stop(): Promise<unknown>;
}

async function tryContainer(image: string, port: number, command: string[] = []): Promise<StartedContainer | Error> {
  try {
    const { GenericContainer } = await import('testcontainers');
    let container = new GenericContainer(image).withExposedPorts(port);
    if (command.length > 0) container = container.withCommand(command);
    return await container.start();
  } catch (error) {
    return error as Error;
  }
}

/** Resolves every service once; call from Jest's global setup and export the URLs. */
export async function resolveTestServices(env: NodeJS.ProcessEnv = process.env): Promise<TestServices> {
  const started: StartedContainer[] = [];
  const useContainers = env.SIGHTLINE_TESTCONTAINERS !== 'off';
  let dockerError: string | undefined = useContainers ? undefined : 'SIGHTLINE_TESTCONTAINERS=off';

  async function resolve(envUrl: string | undefined, image: string, port: number, scheme: string, command: string[] = []) {
    if (envUrl) return envUrl;
    if (dockerError) return undefined;
    const container = await tryContainer(image, port, command);
    if (container instanceof Error) {
      dockerError = container.message.split('\n')[0];
      return undefined;
    }
    started.push(container);
    return `${scheme}://${container.getHost()}:${container.getMappedPort(port)}`;
  }

  const natsUrl = (await resolve(env.NATS_URL, 'nats:2.11-alpine', 4222, 'nats', ['-js'])) ?? DEFAULT_NATS_URL;
  const redisUrl = (await resolve(env.REDIS_URL, 'redis:7-alpine', 6379, 'redis')) ?? DEFAULT_REDIS_URL;
  const mongoUrl = await resolve(env.MONGO_URL, 'mongo:8', 27017, 'mongodb');
  return {
    natsUrl,
    redisUrl,
    mongoUrl,
    mongoSkipReason: mongoUrl ? undefined : `no MongoDB: MONGO_URL is unset and no container runtime (${dockerError})`,
    stop: async () => {
      await Promise.all(started.map((c) => c.stop()));
    },
  };
}

/** The NATS URL for this test run (set by the global setup; the loopback server otherwise). */
export function natsUrl(): string {
  return process.env.NATS_URL || DEFAULT_NATS_URL;
}

export function redisUrl(): string {
  return process.env.REDIS_URL || DEFAULT_REDIS_URL;
}

export function mongoUrl(): string | undefined {
  return process.env.MONGO_URL || undefined;
}
