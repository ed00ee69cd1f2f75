// The floor of HTTP cost for `ingest-bench`: node:http in INGEST_WORKERS cluster workers (as
// ingest serves POST /v1/beacons) answering every POST with the 202 body ingest sends, after
// reading the body, and doing nothing else. Listens on BARE_HTTP_PORT.
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const workers = Number(process.env.INGEST_WORKERS ?? 2);
const ANSWER = JSON.stringify({ accepted: 20, rejected: [] });

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const ready = request.url === '/readyz';
      response.writeHead(ready ? 200 : 202, { 'content-type': 'application/json; charset=utf-8', 'content-length': ready ? 11 : Buffer.byteLength(ANSWER) });
      response.end(ready ? '{"ok":true}' : ANSWER);
    });
  });
  server.keepAliveTimeout = 72_000;
  server.listen(Number(process.env.BARE_HTTP_PORT), '127.0.0.1');
}
