// `npm run bench:nexmark`: NEXMark-style queries on the windowing lib, in this process, on one
// core, fed by a deterministic bid generator:
//   q5  hot items: bids per auction in 10 s windows sliding every 2 s, and the auction(s) with most
//   q7  highest bid per 10 s tumbling window
//   q11 bids per bidder in 10 s session windows
// Reports events per CPU-second for each, beside the generator alone (measured in the same run)
// and Flink 1.13's published per-core figures. Options: NEXMARK_EVENTS (2,000,000), NEXMARK_SEED (42).
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { BoundedOutOfOrderness, count, maxBy, session, sliding, tumbling, WindowOperator, type Pane } from '@sightline/windowing';

const EVENTS = Number(process.env.NEXMARK_EVENTS ?? 2_000_000);
const SEED = Number(process.env.NEXMARK_SEED ?? 42);
/** Flink 1.13 NEXMark results, events per second per core (the baseline). */
const FLINK_PER_CORE = { q5: 22_100, q7: 12_300, q11: 39_700 } as const;
/** Event time advances 10 bids per millisecond: 10,000 bids per second of event time. */
const BIDS_PER_MS = 10;
const OUT_OF_ORDER_MS = 100;
const WATERMARK_EVERY = 1000;

interface Bid {
  auction: number;
  bidder: number;
  price: number;
  dateTime: number;
}

/**
 * Bids as NEXMark's generator shapes them: auctions and people open over time, half of the bids
 * go to a few hot auctions and come from a few hot bidders, prices are skewed, and timestamps
 * jitter up to 100 ms out of order. Deterministic by seed.
 */
function* bids(n: number, seed: number): Generator<Bid> {
  const rng = xoroshiro128plus(seed);
  const r = () => uniformFloat64(rng);
  const t0 = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    const base = t0 + Math.floor(i / BIDS_PER_MS);
    const latestAuction = 1000 + Math.floor(i / 50);
    const latestPerson = 1000 + Math.floor(i / 20);
    const auction = r() < 0.5 ? latestAuction - Math.floor(r() * 10) : latestAuction - Math.floor(r() * 1000);
    const bidder = r() < 0.5 ? latestPerson - Math.floor(r() * 100) : latestPerson - Math.floor(r() * 10_000);
    yield { auction, bidder, price: Math.round(100 * Math.exp(r() * 6)), dateTime: base - Math.floor(r() * OUT_OF_ORDER_MS) };
  }
}

interface QueryRun {
  readonly events: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly results: number;
  readonly checksum: number;
}

/** Runs `feed` over the generated bids with periodic bounded-out-of-orderness watermarks. */
function measure(run: (bid: Bid) => void, onWatermark: (wm: number) => void, finish: () => void): QueryRun & { results: number } {
  const watermarks = new BoundedOutOfOrderness(OUT_OF_ORDER_MS);
  const cpu = process.cpuUsage();
  const wall = performance.now();
  let n = 0;
  for (const bid of bids(EVENTS, SEED)) {
    watermarks.observe(bid.dateTime);
    run(bid);
    if (++n % WATERMARK_EVERY === 0) onWatermark(watermarks.current());
  }
  finish();
  const used = process.cpuUsage(cpu);
  return { events: n, cpuSeconds: (used.user + used.system) / 1e6, wallSeconds: (performance.now() - wall) / 1000, results: 0, checksum: 0 };
}

function q5(): QueryRun {
  const op = new WindowOperator({ assigner: sliding(10_000, 2_000), aggregate: count<Bid>() });
  let results = 0;
  let checksum = 0;
  const hottest = (panes: Pane<number>[]) => {
    // Panes of one advance come ordered by window end: the hottest auction(s) of each window.
    let i = 0;
    while (i < panes.length) {
      const end = panes[i]!.window.end;
      let max = 0;
      let hot: number[] = [];
      for (; i < panes.length && panes[i]!.window.end === end; i++) {
        const p = panes[i]!;
        if (p.value > max) {
          max = p.value;
          hot = [Number(p.key)];
        } else if (p.value === max) hot.push(Number(p.key));
      }
      results++;
      checksum = (checksum * 31 + max + hot.length) % 1_000_000_007;
    }
  };
  const run = measure(
    (bid) => op.process(String(bid.auction), bid.dateTime, bid),
    (wm) => hottest(op.advanceWatermark(wm)),
    () => hottest(op.advanceWatermark(Number.MAX_SAFE_INTEGER)),
  );
  return { ...run, results, checksum };
}

/** Runs a keyed window query whose every pane is one result, folded into a checksum. */
function perPane<ACC, OUT>(op: WindowOperator<Bid, ACC, OUT>, keyOf: (bid: Bid) => string, valueOf: (out: OUT) => number): QueryRun {
  let results = 0;
  let checksum = 0;
  const emit = (panes: Pane<OUT>[]) => {
    for (const p of panes) {
      results++;
      checksum = (checksum * 31 + valueOf(p.value)) % 1_000_000_007;
    }
  };
  const run = measure(
    (bid) => op.process(keyOf(bid), bid.dateTime, bid),
    (wm) => emit(op.advanceWatermark(wm)),
    () => emit(op.advanceWatermark(Number.MAX_SAFE_INTEGER)),
  );
  return { ...run, results, checksum };
}

/** Highest bid of all, per window: one key. */
const q7 = (): QueryRun =>
  perPane(new WindowOperator<Bid, Bid | null, Bid | null>({ assigner: tumbling(10_000), aggregate: maxBy((b: Bid) => b.price) }), () => '', (best) => best?.price ?? 0);

const q11 = (): QueryRun =>
  perPane(new WindowOperator({ assigner: session<Bid>(10_000), aggregate: count<Bid>() }), (bid) => String(bid.bidder), (n) => n);

function generatorOnly(): QueryRun {
  let checksum = 0;
  const run = measure(
    (bid) => {
      checksum = (checksum + bid.price) % 1_000_000_007;
    },
    () => undefined,
    () => undefined,
  );
  return { ...run, checksum };
}

function main(): void {
  const generator = generatorOnly();
  const perCpuSecond = (r: QueryRun) => Math.round(r.events / r.cpuSeconds);
  const queries = { q5: q5(), q7: q7(), q11: q11() };
  const summary = {
    events: EVENTS,
    seed: SEED,
    generatorOnlyEventsPerCpuSecond: perCpuSecond(generator),
    queries: Object.fromEntries(
      Object.entries(queries).map(([name, r]) => [
        name,
        {
          eventsPerCpuSecond: perCpuSecond(r),
          flinkPerCore: FLINK_PER_CORE[name as keyof typeof FLINK_PER_CORE],
          timesFlink: Number((perCpuSecond(r) / FLINK_PER_CORE[name as keyof typeof FLINK_PER_CORE]).toFixed(1)),
          cpuSeconds: Number(r.cpuSeconds.toFixed(2)),
          results: r.results,
          checksum: r.checksum,
        },
      ]),
    ),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.stdout.write(`generator alone: ${summary.generatorOnlyEventsPerCpuSecond} events/CPU-s (${EVENTS} bids, seed ${SEED})\n`);
  for (const [name, q] of Object.entries(summary.queries)) {
    process.stdout.write(`${name}: ${q.eventsPerCpuSecond} events/CPU-s (Flink 1.13 per core: ${q.flinkPerCore}; ${q.timesFlink}x), ${q.results} results, checksum ${q.checksum}\n`);
  }
}

main();
