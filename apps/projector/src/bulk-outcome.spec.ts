import { DUPLICATE_KEY, readBulkFailure } from './bulk-outcome';

describe('readBulkFailure', () => {
  it('reads duplicate keys as stale or racing upserts, by operation index', () => {
    expect(readBulkFailure({ writeErrors: [{ index: 4, code: DUPLICATE_KEY }, { index: 1, code: DUPLICATE_KEY }], writeConcernFailed: false })).toEqual({ duplicates: [1, 4] });
  });

  it.each([
    [{ writeErrors: [{ index: 0, code: DUPLICATE_KEY }, { index: 2, code: 121 }], writeConcernFailed: false }, /write error 121 at operation 2/],
    [{ writeErrors: [], writeConcernFailed: true }, /write concern/],
  ])('fails the batch on any other error (%#)', (failure, message) => {
    const read = readBulkFailure(failure);
    expect('failed' in read && read.failed).toMatch(message);
  });
});
