// The floor of HTTP cost for `ingest-bench`: Fastify in INGEST_WORKERS cluster workers answering
// every POST /v1/beacons with the same 202 body ingest sends, reading the body as bytes and doing
// nothing else. Listens on BARE_HTTP_PORT.
import cluster from 'node:cluster';
import Fastify from 'fastify';

const workers = Number(process.env.INGEST_WORKERS ?? 2);

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const app = Fastify({ bodyLimit: 4 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.get('/readyz', async () => ({ ok: true }));
  app.post('/v1/beacons', async (_request, reply) => reply.status(202).send({ accepted: 20, rejected: [] }));
  void app.listen({ port: Number(process.env.BARE_HTTP_PORT), host: '127.0.0.1' });
}
