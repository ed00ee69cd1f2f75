import { BATCH_BYTES, Transport, type Answer, type TransportEnv } from './transport';
import type { EventType, WireBeacon, WireEvent } from './wire';

interface Post {
  readonly beacon: WireBeacon;
  readonly keepalive: boolean;
  answer(answer: Partial<Answer> & { status: number }): Promise<void>;
  fail(): Promise<void>;
}

/** A page's browser calls, with a clock and timers the test moves by hand. */
class FakePage {
  clock = 0;
  online = true;
  beaconOk = true;
  readonly posts: Post[] = [];
  readonly beacons: WireBeacon[] = [];
  private timers: { at: number; run: () => void; id: number }[] = [];
  private ids = 0;

  readonly env: TransportEnv = {
    post: (_url, body, keepalive) =>
      new Promise<Answer>((resolve, reject) => {
        const settle = async (fn: () => void) => {
          fn();
          await flushPromises();
        };
        this.posts.push({
          beacon: JSON.parse(body) as WireBeacon,
          keepalive,
          answer: (a) => settle(() => resolve({ retryAfter: null, ...a })),
          fail: () => settle(() => reject(new TypeError('Failed to fetch'))),
        });
      }),
    beacon: (_url, body) => {
      if (this.beaconOk) this.beacons.push(JSON.parse(body) as WireBeacon);
      return this.beaconOk;
    },
    online: () => this.online,
    now: () => this.clock,
    random: () => 0.5,
    setTimer: (run, ms) => {
      const id = ++this.ids;
      this.timers.push({ at: this.clock + ms, run, id });
      return id;
    },
    clearTimer: (id) => {
      this.timers = this.timers.filter((t) => t.id !== id);
    },
    log: () => undefined,
  };

  /** Moves the clock on by `ms`, running the timers that come due. */
  advance(ms: number): void {
    const until = this.clock + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.clock = next.at;
      next.run();
    }
    this.clock = until;
  }

  get last(): Post {
    return this.posts[this.posts.length - 1]!;
  }
}

const flushPromises = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setup(options: { flushMs?: number; maxQueuedEvents?: number } = {}) {
  const page = new FakePage();
  const transport = new Transport({ url: 'http://ingest/v1/beacons?key=k', flushMs: options.flushMs ?? 5_000, maxQueuedEvents: options.maxQueuedEvents ?? 5_000 }, page.env);
  const seqs = new Map<string, number>();
  const add = (type: EventType, view = 'v1', key = false): WireEvent => {
    const seq = seqs.get(view) ?? 0;
    seqs.set(view, seq + 1);
    const event: WireEvent = { seq, type, ts: 1_764_680_000_000 + page.clock, playhead_ms: page.clock };
    transport.add(view, event, key);
    return event;
  };
  return { page, transport, add };
}

const seqsOf = (beacon: WireBeacon) => beacon.events.map((e) => e.seq);

describe('Transport', () => {
  it('batches events and sends them after flushMs, with the context on the first beacon only', async () => {
    const { page, transport, add } = setup();
    transport.context('v1', { video_id: 'v42' });
    add('viewstart');
    add('play');
    page.advance(4_999);
    expect(page.posts).toHaveLength(0);
    page.advance(1);
    expect(page.posts).toHaveLength(1);
    expect(page.last.beacon).toEqual({ v: 1, view_id: 'v1', context: { video_id: 'v42' }, events: [expect.objectContaining({ seq: 0, type: 'viewstart' }), expect.objectContaining({ seq: 1 })] });
    expect(page.last.keepalive).toBe(true);
    await page.last.answer({ status: 202, body: { accepted: 2, rejected: [] } });
    add('heartbeat');
    page.advance(5_000);
    expect(page.posts).toHaveLength(2);
    expect(page.last.beacon.context).toBeUndefined();
  });

  it('sends key events at once, one request in flight, in order', async () => {
    const { page, add } = setup();
    add('viewstart');
    add('playing', 'v1', true);
    expect(page.posts).toHaveLength(1);
    add('rebufferstart', 'v1', true);
    add('heartbeat');
    expect(page.posts).toHaveLength(1);
    await page.posts[0]!.answer({ status: 202, body: { accepted: 2, rejected: [] } });
    expect(page.posts).toHaveLength(2);
    expect(seqsOf(page.last.beacon)).toEqual([2, 3]);
  });

  it('retries a batch through network errors with growing delays, and in order', async () => {
    const { page, transport, add } = setup();
    add('playing', 'v1', true);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = page.clock;
      const count = page.posts.length;
      await page.last.fail();
      add('heartbeat');
      while (page.posts.length === count) page.advance(100);
      delays.push(page.clock - before);
    }
    expect(delays).toEqual([800, 1500, 3000, 6000, 12000, 22500]);
    expect(seqsOf(page.last.beacon)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await page.last.answer({ status: 202, body: { accepted: 7, rejected: [] } });
    expect(transport.idle).toBe(true);
  });

  it('keeps retrying through minutes offline, and goes at once when the network is back', async () => {
    const { page, transport, add } = setup();
    add('playing', 'v1', true);
    let failed = 0;
    while (page.clock < 5 * 60_000) {
      if (page.posts.length > failed) await page.posts[failed++]!.fail();
      if (page.clock % 10_000 === 0) add('heartbeat');
      page.advance(500);
    }
    expect(failed).toBeGreaterThan(10);
    expect(transport.queue.length).toBe(31);
    if (page.posts.length === failed) transport.retryNow();
    expect(page.posts).toHaveLength(failed + 1);
    expect(seqsOf(page.last.beacon)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    await page.last.answer({ status: 202, body: { accepted: 31, rejected: [] } });
    expect(transport.idle).toBe(true);
  });

  it('honours Retry-After on 429 and 503, from the header or from the error body', async () => {
    const { page, add } = setup();
    add('playing', 'v1', true);
    await page.last.answer({ status: 429, body: { code: 'RATE_LIMITED', retry_after_s: 7 } });
    page.advance(6_999);
    expect(page.posts).toHaveLength(1);
    page.advance(1);
    expect(page.posts).toHaveLength(2);
    await page.last.answer({ status: 503, retryAfter: '9' });
    page.advance(8_999);
    expect(page.posts).toHaveLength(2);
    page.advance(1);
    expect(page.posts).toHaveLength(3);
    expect(seqsOf(page.last.beacon)).toEqual([0]);
  });

  it('drops a batch ingest refuses (400, 413, 415) and goes on with the next', async () => {
    const { page, transport, add } = setup();
    add('playing', 'v1', true);
    add('heartbeat');
    await page.last.answer({ status: 400, body: { code: 'INVALID_BEACON' } });
    expect(transport.queue.length).toBe(1);
    add('rebufferstart', 'v1', true);
    expect(seqsOf(page.last.beacon)).toEqual([1, 2]);
    await page.last.answer({ status: 413 });
    expect(transport.idle).toBe(true);
  });

  it('fills the seq of a rejected event with a heartbeat at the time and playhead of the event before it', async () => {
    const { page, transport, add } = setup();
    let rejectedFor: string | undefined;
    transport.onRejected = (view) => (rejectedFor = view);
    add('viewstart');
    page.advance(1_000);
    add('play');
    page.advance(1_000);
    add('error');
    page.advance(3_000);
    expect(page.posts).toHaveLength(1);
    await page.last.answer({ status: 202, body: { accepted: 2, rejected: [{ index: 2, issues: [] }, { index: 7, issues: [] }] } });
    expect(rejectedFor).toBe('v1');
    page.advance(5_000);
    expect(page.last.beacon.events).toEqual([{ seq: 2, type: 'heartbeat', ts: 1_764_680_001_000, playhead_ms: 1_000 }]);
    await page.last.answer({ status: 202, body: { accepted: 0, rejected: [{ index: 0, issues: [] }] } });
    page.advance(10_000);
    expect(page.posts).toHaveLength(2);
    expect(transport.idle).toBe(true);
  });

  it('sends each view’s events in its own beacons', async () => {
    const { page, transport, add } = setup();
    transport.context('v1', { video_id: 'a' });
    transport.context('v2', { video_id: 'b' });
    add('viewstart', 'v1');
    add('videochange', 'v1', true);
    add('viewstart', 'v2');
    expect(page.last.beacon).toMatchObject({ view_id: 'v1', context: { video_id: 'a' } });
    await page.last.answer({ status: 202, body: { accepted: 2, rejected: [] } });
    expect(page.posts).toHaveLength(1);
    page.advance(5_000);
    expect(page.last.beacon).toMatchObject({ view_id: 'v2', context: { video_id: 'b' } });
    expect(seqsOf(page.last.beacon)).toEqual([0]);
  });

  it('holds a view’s first beacon until its context is ready', async () => {
    const { page, transport, add } = setup();
    let ready: (value: { viewer_id: string }) => void = () => undefined;
    transport.context('v1', new Promise((resolve) => (ready = resolve)));
    add('playing', 'v1', true);
    expect(page.posts).toHaveLength(0);
    ready({ viewer_id: 'abc' });
    await flushPromises();
    expect(page.last.beacon.context).toEqual({ viewer_id: 'abc' });
  });

  it('splits a long queue into beacons of at most 500 events and BATCH_BYTES, in order', async () => {
    const { page, transport } = setup({ maxQueuedEvents: 2_000 });
    for (let i = 0; i < 1_200; i++) transport.add('v1', { seq: i, type: 'heartbeat', ts: 1_764_680_000_000, playhead_ms: i % 2 }, false);
    page.advance(5_000);
    while (!transport.idle) await page.last.answer({ status: 202, body: { accepted: page.last.beacon.events.length, rejected: [] } });
    const sizes = page.posts.map((p) => p.beacon.events.length);
    expect(sizes.every((n) => n <= 500)).toBe(true);
    expect(sizes[0]).toBe(500);
    expect(page.posts.every((p) => JSON.stringify(p.beacon).length <= BATCH_BYTES + 100)).toBe(true);
    expect(page.posts.flatMap((p) => seqsOf(p.beacon))).toEqual(Array.from({ length: 1_200 }, (_, i) => i));
    expect(page.posts).toHaveLength(3);
    for (let i = 0; i < 600; i++) transport.add('v1', { seq: 1_200 + i, type: 'heartbeat', ts: 1_764_680_000_000, playhead_ms: 123_456_789, rendition: { bitrate_bps: 2_500_000, width: 1280, height: 720 } }, false);
    page.advance(5_000);
    expect(JSON.stringify(page.last.beacon).length).toBeGreaterThan(BATCH_BYTES - 200);
    expect(page.last.beacon.events.length).toBeLessThan(500);
  });

  it('bounds the queue while offline, keeping the key events', async () => {
    const { page, transport, add } = setup({ maxQueuedEvents: 100 });
    add('playing', 'v1', true);
    await page.last.fail();
    for (let i = 0; i < 300; i++) add(i % 50 === 0 ? 'rebufferstart' : 'heartbeat', 'v1', i % 50 === 0);
    expect(transport.queue.length).toBe(100);
    expect(transport.queue.items.filter((e) => e.event.type === 'rebufferstart')).toHaveLength(6);
    expect(transport.queue.dropped).toBe(201);
  });

  it('hands the queue to sendBeacon on hide, and keeps it when offline', async () => {
    const { page, transport, add } = setup();
    transport.context('v1', { video_id: 'a' });
    add('viewstart');
    add('playing', 'v1', true);
    add('heartbeat');
    add('heartbeat');
    transport.hide(false);
    expect(page.beacons).toHaveLength(1);
    expect(page.beacons[0]).toMatchObject({ view_id: 'v1', context: { video_id: 'a' } });
    expect(seqsOf(page.beacons[0]!)).toEqual([2, 3]);
    expect(transport.queue.length).toBe(2);
    page.online = false;
    add('viewend', 'v1', true);
    transport.hide(true);
    expect(seqsOf(page.beacons[1]!)).toEqual([4]);
    expect(transport.queue.length).toBe(3);
    await page.last.answer({ status: 202, body: { accepted: 2, rejected: [] } });
    expect(seqsOf(page.last.beacon)).toEqual([4]);
    expect(page.last.beacon.context).toBeUndefined();
  });

});
