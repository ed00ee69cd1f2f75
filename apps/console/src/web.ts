import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml' };

/** Where `npm run build` puts the dashboard (tools/scripts/build-console.mjs), beside the compiled service. */
export function webDirectory(): string {
  return path.resolve(__dirname, '..', 'web');
}

/**
 * Serves the dashboard's built files: a fixed set read into memory at start (index.html,
 * app.js, app.css and their maps), so no request path ever reaches the file system. Every page
 * of the dashboard is index.html (the app routes on the hash). Without a build, `/` says how to
 * make one.
 */
export function registerWeb(fastify: FastifyInstance, dir = webDirectory()): void {
  const files = new Map<string, { type: string; body: Buffer }>();
  if (existsSync(dir)) {
    for (const name of ['index.html', 'app.js', 'app.js.map', 'app.css', 'app.css.map']) {
      const file = path.join(dir, name);
      if (existsSync(file)) files.set(`/${name}`, { type: TYPES[path.extname(name)] ?? 'application/octet-stream', body: readFileSync(file) });
    }
  }
  const headers = {
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  fastify.get('/', (_request, reply) => {
    const index = files.get('/index.html');
    if (!index) return reply.status(503).type('text/plain').send('The console\'s pages are not built: run npm run build (npm start does).\n');
    return reply.headers({ ...headers, 'cache-control': 'no-cache' }).type(index.type).send(index.body);
  });
  fastify.get('/assets/:name', (request, reply) => {
    const file = files.get(`/${(request.params as { name: string }).name}`);
    if (!file) return reply.status(404).send({ code: 'NOT_FOUND', message: 'no such asset' });
    return reply.headers({ ...headers, 'cache-control': 'no-cache' }).type(file.type).send(file.body);
  });
}
