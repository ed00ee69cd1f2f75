import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { streams } from '@sightline/contracts';
import { connectJetStream, type JetStreamConnection } from '@sightline/messaging';
import { deleteNamespace, natsClientsOf, natsUrl, ServiceProcess, uniqueNamespace } from '@sightline/test-support';

const NOW = Date.now();
const event = (seq: number, extra: object = {}) => ({ seq, type: 'heartbeat', ts: NOW, playhead_ms: 0, ...extra });
const beacon = (extra: object = {}) => ({ v: 1, view_id: 'bad-input-view', events: [event(0)], ...extra });

let deep: unknown = { leaf: true };
for (let i = 0; i < 12; i++) deep = { nest: deep };

interface Case {
  readonly name: string;
  readonly body: string | Buffer;
  readonly status: number;
  readonly code?: string;
  readonly type?: string;
  readonly key?: string;
  readonly encoding?: string;
}

const json = (value: unknown) => JSON.stringify(value);
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** Every case is documented in docs/openapi-ingest.json with the same status and code. */
const CASES: Case[] = [
  { name: 'malformed JSON', body: '{"v":1,"view_id":', status: 400, code: 'INVALID_JSON' },
  { name: 'wrong types', body: json(beacon({ view_id: 42 })), status: 400, code: 'INVALID_BEACON' },
  { name: 'missing events', body: json({ v: 1, view_id: 'x' }), status: 400, code: 'INVALID_BEACON' },
  { name: 'an event missing its sequence number', body: json(beacon({ events: [{ type: 'play', ts: NOW, playhead_ms: 0 }] })), status: 400, code: 'INVALID_BEACON' },
  { name: 'a body over the size limit', body: json(beacon({ context: { video_title: 'x'.repeat(70_000) } })), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'a gzip body that inflates over the limit', body: gzipSync(Buffer.from(' '.repeat(200_000) + json(beacon()))), encoding: 'gzip', status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'too many events', body: json(beacon({ events: Array.from({ length: 501 }, (_, i) => event(i)) })), status: 413, code: 'TOO_MANY_EVENTS' },
  { name: 'deep nesting', body: json(beacon({ context: { custom: deep } })), status: 400, code: 'TOO_DEEP' },
  { name: 'a control character in the view', body: json(beacon({ context: { video_title: 'bad\u0000title' } })), status: 400, code: 'INVALID_BEACON' },
  { name: 'a control character in the only event', body: json(beacon({ events: [event(0, { error: { code: 'E\u0001', fatal: false } })] })), status: 400, code: 'INVALID_BEACON' },
  { name: 'a negative time', body: json(beacon({ events: [event(0, { ts: -1 })] })), status: 400, code: 'INVALID_BEACON' },
  { name: 'a far-future time', body: json(beacon({ events: [event(0, { ts: NOW + 400 * 24 * 3600 * 1000 })] })), status: 400, code: 'INVALID_BEACON' },
  { name: 'an unknown key', body: json(beacon()), key: 'nope', status: 401, code: 'UNKNOWN_KEY' },
  { name: 'a form body', body: 'a=b', type: 'application/x-www-form-urlencoded', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'an unknown content encoding', body: json(beacon()), encoding: 'br', status: 415, code: 'UNSUPPORTED_ENCODING' },
];

describe('ingest refuses bad input with the documented status and stores nothing', () => {
  const namespace = uniqueNamespace('ing');
  let ingest: ServiceProcess;
  let conn: JetStreamConnection;

  beforeAll(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'ingest-bad-input' });
    ingest = await ServiceProcess.start('ingest', {
      NATS_URL: natsUrl(),
      SIGHTLINE_NAMESPACE: namespace,
      INGEST_PROPERTY_KEYS: 'good-key=p1',
      INGEST_BODY_LIMIT_BYTES: '65536',
      INGEST_RATE_LIMIT_PER_SECOND: '1',
      INGEST_RATE_LIMIT_BURST: '40',
      INGEST_ADMIN_TOKEN: ADMIN_TOKEN,
      INGEST_TRUSTED_PROXIES: '127.0.0.1',
    });
  }, 30_000);

  afterAll(async () => {
    await ingest?.stop();
    await deleteNamespace(conn, namespace);
    await conn.drain();
  });

  const post = (c: Partial<Case> & { body: string | Buffer }) =>
    fetch(`${ingest.url}/v1/beacons?key=${c.key ?? 'good-key'}`, {
      method: 'POST',
      headers: { 'content-type': c.type ?? 'application/json', ...(c.encoding ? { 'content-encoding': c.encoding } : {}) },
      body: c.body,
    });

  const stored = async () => (await conn.streamState(streams({ namespace, partitions: 8 }).events.name)).messages;

  it.each(CASES)('$name -> $status $code', async (c) => {
    const before = await stored();
    const response = await post(c);
    expect(response.status).toBe(c.status);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe(c.code);
    expect(body.message.length).toBeGreaterThan(0);
    expect(await stored()).toBe(before);
  });

  it('accepts the valid events of a beacon and reports the invalid and repeated ones by index', async () => {
    const response = await post({
      body: json(beacon({ events: [event(0), event(1, { ts: -5 }), event(0), event(2, { type: 'dance' }), event(3)] })),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { accepted: number; rejected: { index: number; issues: { message: string }[] }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(body.rejected[1]?.issues[0]?.message).toContain('repeats');
    const stored = await natsClientsOf(conn).jsm.streams.getMessage(streams({ namespace, partitions: 8 }).events.name, { last_by_subj: `${namespace}.v1.events.beacon.>` });
    expect(stored?.json<{ events: { seq: number }[] }>().events.map((e) => e.seq)).toEqual([0, 3]);
  });

  /** Sends a body in chunks without a declared length; resolves with the status and whether the server closed. */
  const postChunked = (chunks: number, chunkBytes: number, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; code: string; closed: boolean }>((resolve, reject) => {
      const request = httpRequest(`${ingest.url}/v1/beacons?key=good-key`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
        let text = '';
        response.on('data', (c: Buffer) => (text += c.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, code: (JSON.parse(text) as { code: string }).code, closed: response.headers.connection === 'close' }),
        );
      });
      request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      const chunk = Buffer.alloc(chunkBytes, 0x20);
      for (let i = 0; i < chunks && !request.destroyed; i++) request.write(chunk);
      request.end();
    });

  it('refuses a body sent without a length once it passes the limit, and closes the connection', async () => {
    const before = await stored();
    expect(await postChunked(40, 4096)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', closed: true });
    expect(await stored()).toBe(before);
  });

  it('stores nothing and keeps serving when a client goes away in the middle of its body', async () => {
    const before = await stored();
    await new Promise<void>((resolve) => {
      const request = httpRequest(`${ingest.url}/v1/beacons?key=good-key`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      request.on('error', () => resolve());
      request.write('{"v":1,"view_id":"gone-view","events":[');
      setTimeout(() => request.destroy(), 50);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await stored()).toBe(before);
    expect((await post({ body: json(beacon({ view_id: 'after-gone' })) })).status).toBe(202);
  });

  it('refuses a declared length over the limit before reading the body', async () => {
    const before = await stored();
    const answer = await postChunked(1, 16, { 'content-length': String(10 * 1024 * 1024) });
    expect(answer).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', closed: true });
    expect(await stored()).toBe(before);
  });

  it('enriches from the user agent and keeps only the truncated IP', async () => {
    const response = await fetch(`${ingest.url}/v1/beacons?key=good-key`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      },
      body: json(beacon({ view_id: 'enriched-view' })),
    });
    expect(response.status).toBe(202);
    const stored = await natsClientsOf(conn).jsm.streams.getMessage(streams({ namespace, partitions: 8 }).events.name, { last_by_subj: `${namespace}.v1.events.beacon.>` });
    const batch = stored?.json<{ view_id: string; enrichment: Record<string, unknown> }>();
    expect(batch?.view_id).toBe('enriched-view');
    expect(batch?.enrichment).toMatchObject({ property_id: 'p1', ip_prefix: '127.0.0.0/24', device_type: 'desktop', os: 'Windows', browser: 'Chrome' });
    expect(JSON.stringify(batch)).not.toContain('127.0.0.1');
  });

  it('behind a trusted proxy, finds country, region and ASN of the forwarded client and stores only its prefix', async () => {
    const response = await fetch(`${ingest.url}/v1/beacons?key=good-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '79.200.17.33' },
      body: json(beacon({ view_id: 'forwarded-view' })),
    });
    expect(response.status).toBe(202);
    const stored = await natsClientsOf(conn).jsm.streams.getMessage(streams({ namespace, partitions: 8 }).events.name, { last_by_subj: `${namespace}.v1.events.beacon.>` });
    const batch = stored?.json<{ view_id: string; enrichment: Record<string, unknown> }>();
    expect(batch?.view_id).toBe('forwarded-view');
    expect(batch?.enrichment).toMatchObject({ ip_prefix: '79.200.17.0/24', country: 'DE', asn: 3320, as_org: 'Deutsche Telekom AG' });
    expect(batch?.enrichment.region).toEqual(expect.any(String));
    expect(JSON.stringify(batch)).not.toContain('79.200.17.33');
  });

  it('takes gzip bodies, as SDKs compress them', async () => {
    const response = await post({ body: gzipSync(Buffer.from(json(beacon({ view_id: 'gzip-view' })))), encoding: 'gzip' });
    expect(response.status).toBe(202);
  });

  describe('CMCD', () => {
    const cmcd = (init: { query?: string; headers?: Record<string, string>; body?: string }) =>
      fetch(`${ingest.url}/v1/cmcd?key=good-key${init.query ? `&CMCD=${encodeURIComponent(init.query)}` : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        ...(init.body ? { body: init.body } : {}),
      });
    const lastBatch = async () =>
      (await natsClientsOf(conn).jsm.streams.getMessage(streams({ namespace, partitions: 8 }).events.name, { last_by_subj: `${namespace}.v1.events.beacon.>` }))?.json<{
        view_id: string;
        context?: Record<string, string>;
        events: { seq: number; type: string; playhead_ms: number; rendition?: { bitrate_bps: number } }[];
      }>();

    it('takes v2 event-mode reports as view events, sid being the view', async () => {
      const ts = Date.now();
      const reports = [
        { e: 'ps', sta: 's', sid: 'cmcd-view', sn: 0, ts, pt: 0, cid: 'movie-1', st: 'v' },
        { e: 'ps', sta: 'p', sid: 'cmcd-view', sn: 1, ts: ts + 1500, pt: 0, br: [3200] },
        { e: 'ps', sta: 'r', sid: 'cmcd-view', sn: 2, ts: ts + 9000, pt: 7500 },
      ];
      const response = await cmcd({ body: json(reports) });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 3, rejected: [] });
      const batch = await lastBatch();
      expect(batch?.view_id).toBe('cmcd-view');
      expect(batch?.context).toEqual({ video_id: 'movie-1', stream_type: 'vod' });
      expect(batch?.events.map((e) => e.type)).toEqual(['play', 'playing', 'rebufferstart']);
      expect(batch?.events[1]?.rendition?.bitrate_bps).toBe(3_200_000);
    });

    it('takes request-mode data from the CMCD query parameter and the CMCD-* headers', async () => {
      const response = await cmcd({ query: 'sid="cdn-log-view",br=4500,ot=v', headers: { 'cmcd-session': 'cid="movie-2",st=l', 'cmcd-status': 'bs' } });
      expect(response.status).toBe(202);
      const batch = await lastBatch();
      expect(batch).toMatchObject({ view_id: 'cdn-log-view', context: { video_id: 'movie-2', stream_type: 'live' } });
      expect(batch?.events[0]).toMatchObject({ type: 'requestcompleted', rendition: { bitrate_bps: 4_500_000 } });
    });

    it.each([
      ['no data', {}, 400, 'INVALID_BEACON'],
      ['a report without sid', { body: json([{ e: 't', sn: 1 }]) }, 400, 'INVALID_BEACON'],
      ['unreadable CMCD', { query: 'br=(3200' }, 400, 'INVALID_JSON'],
    ])('refuses %s', async (_name, init, status, code) => {
      const response = await cmcd(init);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { code: string }).code).toBe(code);
    });
  });

  describe('properties, changed at run time', () => {
    const admin = (method: string, id: string, body?: unknown, token = ADMIN_TOKEN) =>
      fetch(`${ingest.url}/v1/properties/${id}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body: json(body) }),
      });

    it('takes a new property and its key at once, without a restart', async () => {
      expect((await post({ body: json(beacon()), key: 'fresh-key' })).status).toBe(401);
      const put = await admin('PUT', 'fresh', { keys: ['fresh-key'], allowed_origins: ['https://player.example'] });
      expect(put.status).toBe(200);
      let status = 0;
      for (let i = 0; i < 20 && status !== 202; i++) {
        status = (await post({ body: json(beacon({ view_id: `fresh-${i}` })), key: 'fresh-key' })).status;
        if (status !== 202) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(202);
    });

    it('allows only the property origins (CORS), preflight included', async () => {
      const send = (origin: string) =>
        fetch(`${ingest.url}/v1/beacons?key=fresh-key`, { method: 'POST', headers: { 'content-type': 'text/plain', origin }, body: json(beacon({ view_id: `o-${origin.length}` })) });
      const allowed = await send('https://player.example');
      expect(allowed.status).toBe(202);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://player.example');
      expect(allowed.headers.get('access-control-expose-headers')).toBe('Retry-After');
      const refused = await send('https://evil.example');
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe('ORIGIN_NOT_ALLOWED');
      const preflight = await fetch(`${ingest.url}/v1/beacons?key=fresh-key`, {
        method: 'OPTIONS',
        headers: { origin: 'https://player.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    });

    it('allows the property origins to send CMCD too: dash.js posts application/cmcd, which needs a preflight', async () => {
      const preflight = await fetch(`${ingest.url}/v1/cmcd?key=fresh-key`, {
        method: 'OPTIONS',
        headers: { origin: 'https://player.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://player.example');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
      const send = (origin: string) =>
        fetch(`${ingest.url}/v1/cmcd?key=fresh-key`, {
          method: 'POST',
          headers: { 'content-type': 'application/cmcd', origin },
          body: `e=ps,sta="s",sid="cmcd-cors-${origin.length}",sn=0,ts=${Date.now()},pt=0`,
        });
      const allowed = await send('https://player.example');
      expect(allowed.status).toBe(202);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://player.example');
      const refused = await send('https://evil.example');
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe('ORIGIN_NOT_ALLOWED');
      const badPreflight = await fetch(`${ingest.url}/v1/cmcd?key=fresh-key`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(badPreflight.status).toBe(403);
    });

    it.each([
      ['no keys', { keys: [] }, 400, 'INVALID_PROPERTY'],
      ['a bad origin', { keys: ['abc-key'], allowed_origins: ['ftp://x'] }, 400, 'INVALID_PROPERTY'],
      ['a key of another property', { keys: ['good-key'] }, 400, 'INVALID_PROPERTY'],
    ])('refuses a property with %s', async (_name, body, status, code) => {
      const response = await admin('PUT', 'broken', body);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { code: string }).code).toBe(code);
    });

    it('refuses the API without the admin token', async () => {
      const response = await admin('PUT', 'sneaky', { keys: ['sneaky-key'] }, 'wrong-token-wrong-token');
      expect(response.status).toBe(401);
    });
  });

  it('answers 429 with Retry-After once a property is over its rate, and still serves after', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 45; i++) {
      const response = await post({ body: json(beacon({ view_id: `rate-${i}` })) });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${ingest.url}/healthz`)).status).toBe(200);
  });
});
