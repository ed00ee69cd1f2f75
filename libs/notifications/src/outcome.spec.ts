import { classifyStatus, unanswered } from './outcome';

describe('classifyStatus', () => {
  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [204, 'delivered'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [400, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [410, 'permanent'],
    [413, 'permanent'],
    [301, 'permanent'],
  ])('HTTP %i is %s', (status, kind) => {
    expect(classifyStatus(status).kind).toBe(kind);
  });

  it('names the status and detail in the error', () => {
    expect(classifyStatus(400, 'invalid routing key')).toEqual({ kind: 'permanent', httpStatus: 400, error: 'HTTP 400: invalid routing key' });
  });

  it('retries an attempt that got no answer', () => {
    expect(unanswered('ECONNREFUSED')).toEqual({ kind: 'retry', error: 'ECONNREFUSED' });
  });
});
