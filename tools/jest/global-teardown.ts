import type { TestServices } from '../../libs/test-support/src/test-services';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __sightlineServices?: TestServices }).__sightlineServices?.stop();
}
