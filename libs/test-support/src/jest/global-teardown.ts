import type { TestServices } from '../test-services';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __sightlineServices?: TestServices }).__sightlineServices?.stop();
}
