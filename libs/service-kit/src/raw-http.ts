import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonErrorOf } from './http-exception.filter';

/**
 * A route answered by node:http before Fastify sees the request. It returns true when it took
 * the request (and will answer it), false to leave it to Fastify. For the few routes under load,
 * where Fastify's and Nest's per-request machinery costs more than the route's own work.
 */
export type RawRoute = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Answers `body` as JSON, with the content type Fastify gives JSON. */
export function sendRawJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Answers `exception` with the same status, headers and body as JsonErrorFilter. */
export function sendRawJsonError(response: ServerResponse, exception: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const error = jsonErrorOf(exception);
  sendRawJson(response, error.status, error.body, { ...headers, ...error.headers });
}
