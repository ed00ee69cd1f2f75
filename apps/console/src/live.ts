import type { ViewSummary } from '@sightline/console-queries';
import { sendJsonError } from '@sightline/service-kit';
import type { FastifyInstance } from 'fastify';
import { Access, requireProperty } from './access';
import type { ConsoleData, LiveUpdate } from './console-data';
import { consoleErrors } from './console-errors';
import { brief } from './query.controller';

export const LIVE_TOPICS = ['minute', 'views', 'anomalies', 'alerts'] as const;
type Topic = (typeof LIVE_TOPICS)[number];
const TOPIC_OF: Record<LiveUpdate['kind'], Topic> = { minute: 'minute', view: 'views', anomaly: 'anomalies', alert: 'alerts' };

/** Views are sent in batches, at most this often: a large fleet updates thousands a second. */
const VIEWS_EVERY_MS = 2000;
/** Views per batch at most (the most recently updated). */
const VIEWS_PER_BATCH = 50;
const KEEP_ALIVE_MS = 15_000;

/**
 * `GET /v1/live?property=<id>[&topics=minute,views,anomalies,alerts]`: Server-Sent Events of one
 * property. `minute`: each pane of the open minute of `all` (every few seconds); `views`: every
 * 2 s, the views updated since (at most 50) and how many are active; `anomalies`, `alerts`: each
 * as published. Authenticated like the API (the session cookie, which EventSource sends, or a
 * bearer token), so the token never goes in the URL.
 */
export function registerLive(fastify: FastifyInstance, access: Access, data: ConsoleData): void {
  fastify.get('/v1/live', (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    let property: string;
    let topics: Set<Topic>;
    try {
      property = requireProperty(access.principalOf(request.headers), query.property);
      const asked = (query.topics ?? LIVE_TOPICS.join(',')).split(',').map((t) => t.trim());
      const unknown = asked.filter((t) => !(LIVE_TOPICS as readonly string[]).includes(t));
      if (unknown.length > 0) throw consoleErrors.error('INVALID_PARAMETER', `unknown topics ${unknown.join(', ')} (one of ${LIVE_TOPICS.join(', ')})`, { parameter: 'topics' });
      topics = new Set(asked as Topic[]);
    } catch (error) {
      sendJsonError(reply, error);
      return;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (event: string, payload: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    raw.write('retry: 3000\n\n');
    send('hello', { property_id: property, topics: [...topics], server_time: Date.now() });
    const pendingViews = new Map<string, ViewSummary>();
    const unlisten = data.listen((update) => {
      if (update.property_id !== property || !topics.has(TOPIC_OF[update.kind])) return;
      if (update.kind === 'view') pendingViews.set(update.data.view_id, update.data);
      else send(update.kind, update.data);
    });
    const flushViews = setInterval(() => {
      if (!topics.has('views')) return;
      const changed = [...pendingViews.values()].slice(-VIEWS_PER_BATCH).reverse();
      pendingViews.clear();
      send('views', { active: data.views.active(property, 10_000).length, changed: changed.map(brief) });
    }, VIEWS_EVERY_MS);
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    const close = () => {
      clearInterval(flushViews);
      clearInterval(keepAlive);
      unlisten();
    };
    request.raw.on('close', close);
    raw.on('error', close);
  });
}
