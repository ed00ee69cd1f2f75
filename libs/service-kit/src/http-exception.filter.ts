import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { COMMON_ERRORS } from './errors/error-registry';
import { ServiceError } from './errors/service-error';

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * Every HTTP error as JSON `{ code, message, ... }` with a stable `code`; a 503, or an error
 * whose body has `retry_after_s`, also carries Retry-After. Errors that are neither ServiceErrors
 * nor HttpExceptions become 500 INTERNAL without their details.
 */
@Catch()
export class JsonErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    sendJsonError(host.switchToHttp().getResponse<FastifyReply>(), exception);
  }
}

/** What an error is answered with: status, extra headers and the JSON body. */
export interface JsonError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** The answer to `exception`, the same for Nest routes, Fastify routes and raw routes. */
export function jsonErrorOf(exception: unknown): JsonError {
  let status: number = COMMON_ERRORS.INTERNAL.status;
  let body: Record<string, unknown> = { code: 'INTERNAL', message: COMMON_ERRORS.INTERNAL.message };
  if (exception instanceof ServiceError) {
    status = exception.status;
    body = exception.body();
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
    const response = exception.getResponse();
    body =
      typeof response === 'object' && response !== null && 'code' in response
        ? (response as Record<string, unknown>)
        : { code: HttpStatus[status] ?? 'ERROR', message: exception.message };
  }
  const retryAfter = typeof body.retry_after_s === 'number' ? body.retry_after_s : status === HttpStatus.SERVICE_UNAVAILABLE ? RETRY_AFTER_SECONDS : undefined;
  return { status, headers: retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) }, body };
}

/** Answers `exception` the way JsonErrorFilter does, for routes served by Fastify directly. */
export function sendJsonError(reply: FastifyReply, exception: unknown): void {
  const { status, headers, body } = jsonErrorOf(exception);
  void reply.headers(headers).status(status).send(body);
}
