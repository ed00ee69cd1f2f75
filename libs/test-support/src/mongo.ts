import { mongoUrl } from './test-services';

/**
 * `describe` when MongoDB is reachable, otherwise `describe.skip` with the reason in the
 * suite's name, so the run's summary says which tests were skipped and why.
 */
export function describeWithMongo(name: string, body: (url: string) => void): void {
  const url = mongoUrl();
  if (url) {
    describe(name, () => body(url));
  } else {
    const reason = process.env.SIGHTLINE_MONGO_SKIP_REASON ?? 'no MongoDB: set MONGO_URL or run a Docker engine';
    describe.skip(`${name} [skipped: ${reason}]`, () => body(''));
  }
}
