import { HttpStatus, NotFoundException } from '@nestjs/common';
import { jsonErrorOf } from '../http-exception.filter';
import { COMMON_ERRORS, commonErrors, defineErrors, type ErrorCode } from './error-registry';
import { ServiceError } from './service-error';

const testErrors = defineErrors({
  UNKNOWN_KEY: { status: 401, message: 'a valid property key is required' },
  RATE_LIMITED: { status: 429, message: 'too many beacons' },
});

describe('defineErrors', () => {
  it('holds the common codes and the service’s own, each with its status', () => {
    expect(Object.keys(testErrors.codes)).toEqual([...Object.keys(COMMON_ERRORS), 'UNKNOWN_KEY', 'RATE_LIMITED']);
    const code: ErrorCode<typeof testErrors> = 'RATE_LIMITED';
    expect(testErrors.codes[code].status).toBe(429);
  });

  it.each([
    ['a common code, its default message', commonErrors.error('ADMIN_DISABLED'), 403, { code: 'ADMIN_DISABLED', message: COMMON_ERRORS.ADMIN_DISABLED.message }],
    ['a common code through a service registry', testErrors.error('NOT_FOUND', 'no property p1'), 404, { code: 'NOT_FOUND', message: 'no property p1' }],
    ['an own code with details', testErrors.error('RATE_LIMITED', undefined, { retry_after_s: 2 }), 429, { code: 'RATE_LIMITED', message: 'too many beacons', retry_after_s: 2 }],
    ['an own code', testErrors.error('UNKNOWN_KEY', 'key k1 is unknown'), 401, { code: 'UNKNOWN_KEY', message: 'key k1 is unknown' }],
  ])('makes %s, which jsonErrorOf renders', (_case, error, status, body) => {
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.status).toBe(status);
    expect(jsonErrorOf(error)).toEqual({ status, headers: 'retry_after_s' in body ? { 'Retry-After': '2' } : {}, body });
  });

  it('renders a 503 with Retry-After, and keeps the cause out of the body', () => {
    const error = commonErrors.error('STORE_UNAVAILABLE', undefined, {}, { cause: new Error('secret detail') });
    expect(error.cause).toEqual(new Error('secret detail'));
    expect(jsonErrorOf(error)).toEqual({ status: 503, headers: { 'Retry-After': '1' }, body: { code: 'STORE_UNAVAILABLE', message: COMMON_ERRORS.STORE_UNAVAILABLE.message } });
  });

  it('still renders Nest exceptions and unknown errors', () => {
    expect(jsonErrorOf(new NotFoundException('Cannot GET /x'))).toEqual({ status: 404, headers: {}, body: { code: 'NOT_FOUND', message: 'Cannot GET /x' } });
    expect(jsonErrorOf(new Error('boom'))).toEqual({ status: HttpStatus.INTERNAL_SERVER_ERROR, headers: {}, body: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('refuses a common code defined again, when it compiles and when it runs', () => {
    // @ts-expect-error a common code cannot be defined again
    expect(() => defineErrors({ NOT_FOUND: { status: 410, message: 'gone' } })).toThrow(
      'error code NOT_FOUND is a common code (status 404): use it without defining it again',
    );
  });

  it.each([
    ['a code not in upper case', { notFound: { status: 404, message: 'x' } }, 'error code notFound must be upper case letters, digits and _, starting with a letter'],
    ['a status that is not an error', { MOVED: { status: 301, message: 'x' } }, 'error code MOVED has status 301: an error status is an integer from 400 to 599'],
    ['a status that is not an integer', { ODD: { status: 400.5, message: 'x' } }, 'error code ODD has status 400.5: an error status is an integer from 400 to 599'],
  ])('refuses %s', (_case, own, message) => {
    expect(() => defineErrors(own as never)).toThrow(message);
  });
});
