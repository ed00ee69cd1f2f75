// Plays a scenario's fleet against ingest in real time: each simulated view's beacons are sent
// over HTTP when its SDK would send them, with retries the way an SDK retries.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Heap } from 'heap-js';
import { Pool } from 'undici';
import { FleetPlan, type GroundTruth } from './fleet-plan';
import type { SimulatedView } from './player';
import type { Scenario } from './scenario';
import { beaconsOf, type ScheduledBeacon } from './sdk';
import { parseTrace, type NetworkTrace } from './trace';

/** The Norway HSDPA traces shipped in tools/, found from source and from dist/ alike. */
function tracesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tools/simulator/traces/norway-hsdpa');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`tools/simulator/traces/norway-hsdpa not found above ${__dirname}`);
}

export function loadTraces(dir = tracesDir()): NetworkTrace[] {
  const files = readdirSync(dir).filter((f) => !f.startsWith('.') && !f.endsWith('.md')).sort();
  if (files.length === 0) throw new Error(`no network traces in ${dir}`);
  return files.map((f) => parseTrace(f, readFileSync(path.join(dir, f), 'utf8')));
}

export interface FleetRunOptions {
  readonly ingestUrl: string;
  readonly key: string;
  readonly scenario: Scenario;
  readonly traces: readonly NetworkTrace[];
  /** Part of every view id, so that runs never share views (default: the start time, base 36). */
  readonly runId?: string;
  /** Requests in flight at most (default 256). */
  readonly maxInFlight?: number;
  /** Attempts per beacon before it is dropped (default 5). */
  readonly attempts?: number;
}

export interface FleetStats {
  viewsStarted: number;
  viewsEnded: number;
  beaconsSent: number;
  beaconsAccepted: number;
  eventsAccepted: number;
  eventsRejected: number;
  retries: number;
  /** Beacons given up on after every attempt, or refused with a 4xx other than 429. */
  beaconsDropped: number;
  lastError?: string;
  /** Latency of accepted requests, ms (a sample of the latest 10,000). */
  latencies: number[];
  /**
   * How late beacons went out against the SDK's schedule, ms (latest 10,000): near 0 while this
   * process and ingest keep up with the fleet, growing when either cannot.
   */
  sendLags: number[];
}

type Job =
  | { readonly at: number; readonly kind: 'view'; readonly slot: number; readonly k: number }
  | { readonly at: number; readonly kind: 'beacon'; readonly view: SimulatedView; readonly beacon: ScheduledBeacon; readonly attempt: number; readonly last: boolean };

/**
 * A running fleet. `start()` plays the scenario from now until its duration is over and every
 * view has ended (the views that are still playing at the end finish normally), then resolves
 * with the statistics; `stop()` ends it early.
 */
export class FleetRunner {
  readonly stats: FleetStats = {
    viewsStarted: 0,
    viewsEnded: 0,
    beaconsSent: 0,
    beaconsAccepted: 0,
    eventsAccepted: 0,
    eventsRejected: 0,
    retries: 0,
    beaconsDropped: 0,
    latencies: [],
    sendLags: [],
  };
  readonly plan: FleetPlan;
  private readonly queue = new Heap<Job>((a, b) => a.at - b.at);
  private inFlight = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Keep-alive connections to ingest, as many as requests may be in flight. */
  private readonly pool: Pool;
  private readonly beaconPath: string;

  constructor(private readonly options: FleetRunOptions) {
    this.pool = new Pool(options.ingestUrl, { connections: options.maxInFlight ?? 256, headersTimeout: 10_000, bodyTimeout: 10_000 });
    this.beaconPath = `${new URL(options.ingestUrl).pathname.replace(/\/$/, '')}/v1/beacons?key=${encodeURIComponent(options.key)}`;
    const startAt = Date.now();
    this.plan = new FleetPlan(options.scenario, options.traces, options.runId ?? startAt.toString(36), startAt);
    for (let slot = 0; slot < options.scenario.viewers; slot++) this.queue.push({ at: this.plan.firstViewAt(slot), kind: 'view', slot, k: 0 });
  }

  groundTruth(): GroundTruth {
    return this.plan.groundTruth();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  async start(): Promise<FleetStats> {
    const maxInFlight = this.options.maxInFlight ?? 256;
    while (!this.stopped && (this.queue.size() > 0 || this.inFlight > 0)) {
      const next = this.queue.peek();
      const now = Date.now();
      if (!next || next.at > now || this.inFlight >= maxInFlight) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, next && this.inFlight < maxInFlight ? Math.min(50, next.at - now) : 50);
        });
        continue;
      }
      this.queue.pop();
      if (next.kind === 'view') this.startView(next.slot, next.k, next.at);
      else void this.send(next);
    }
    // Requests already sent are answered before the statistics are final.
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.pool.close();
    return this.stats;
  }

  private startView(slot: number, k: number, at: number): void {
    const view = this.plan.view(slot, k, at);
    this.stats.viewsStarted++;
    const beacons = beaconsOf(view, { intervalS: this.options.scenario.beacon_interval_s, maxEvents: 50 });
    beacons.forEach((beacon, i) => this.queue.push({ at: beacon.sendAt, kind: 'beacon', view, beacon, attempt: 1, last: i === beacons.length - 1 }));
    const nextAt = this.plan.nextViewAt(slot, k, view);
    if (nextAt !== undefined) this.queue.push({ at: nextAt, kind: 'view', slot, k: k + 1 });
  }

  private async send(job: Extract<Job, { kind: 'beacon' }>): Promise<void> {
    this.inFlight++;
    this.stats.beaconsSent++;
    this.stats.sendLags.push(Date.now() - job.at);
    if (this.stats.sendLags.length > 10_000) this.stats.sendLags.splice(0, 5_000);
    const { profile } = job.view;
    const started = performance.now();
    let retryAfterS: number | undefined;
    try {
      const response = await this.pool.request({
        path: this.beaconPath,
        method: 'POST',
        headers: {
          // Browsers send beacons as text/plain (navigator.sendBeacon, no preflight); native SDKs as JSON.
          'content-type': profile.device.kind === 'desktop' ? 'text/plain;charset=UTF-8' : 'application/json',
          'user-agent': profile.device.userAgent,
          'x-forwarded-for': profile.ip,
        },
        body: JSON.stringify(job.beacon.beacon),
      });
      const body = (await response.body.json().catch(() => ({}))) as { accepted?: number; rejected?: unknown[]; message?: string };
      if (response.statusCode >= 200 && response.statusCode < 300) {
        this.stats.beaconsAccepted++;
        this.stats.eventsAccepted += body.accepted ?? 0;
        this.stats.eventsRejected += body.rejected?.length ?? 0;
        this.stats.latencies.push(performance.now() - started);
        if (this.stats.latencies.length > 10_000) this.stats.latencies.splice(0, 5_000);
        if (job.last) this.stats.viewsEnded++;
        return;
      }
      this.stats.lastError = `${response.statusCode} ${body.message ?? ''}`.trim();
      if (response.statusCode !== 429 && response.statusCode < 500) {
        this.stats.beaconsDropped++;
        return;
      }
      retryAfterS = Number(response.headers['retry-after']) || undefined;
    } catch (error) {
      this.stats.lastError = (error as Error).message;
    } finally {
      this.inFlight--;
      this.wake?.();
    }
    const attempts = this.options.attempts ?? 5;
    if (job.attempt >= attempts) {
      this.stats.beaconsDropped++;
      return;
    }
    this.stats.retries++;
    const backoffS = retryAfterS ?? 2 ** (job.attempt - 1);
    this.queue.push({ ...job, at: Date.now() + backoffS * 1000, attempt: job.attempt + 1 });
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
