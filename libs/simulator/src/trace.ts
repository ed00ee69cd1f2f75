/**
 * A network throughput trace: one sample about every second, `seconds<TAB>Mbit/s` per line (the
 * "cooked" format of the Norway HSDPA traces used by the Pensieve ABR simulator).
 */
export interface NetworkTrace {
  readonly name: string;
  /** Throughput of each one-second step, bits per second. */
  readonly bps: readonly number[];
}

export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
}

/** Slowest rate a download proceeds at, so that a trace of zeros still ends (a 10 kbit/s trickle). */
const FLOOR_BPS = 10_000;

export function parseTrace(name: string, text: string): NetworkTrace {
  const samples: [number, number][] = [];
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const [time, mbps, extra] = trimmed.split(/\s+/);
    const t = Number(time);
    const rate = Number(mbps);
    if (extra !== undefined || !Number.isFinite(t) || !Number.isFinite(rate) || rate < 0) {
      throw new TraceFormatError(`${name} line ${index + 1}: expected "seconds<TAB>Mbit/s", got "${trimmed.slice(0, 60)}"`);
    }
    samples.push([t, rate]);
  });
  if (samples.length < 2) throw new TraceFormatError(`${name}: a trace needs at least 2 samples, found ${samples.length}`);
  const duration = Math.max(1, Math.round(samples[samples.length - 1]![0] - samples[0]![0]));
  const bps: number[] = [];
  let j = 0;
  for (let second = 0; second < duration; second++) {
    const at = samples[0]![0] + second;
    while (j + 1 < samples.length && samples[j + 1]![0] <= at + 0.5) j++;
    bps.push(samples[j]![1] * 1_000_000);
  }
  return { name, bps };
}

/**
 * Time to move `bytes` starting at `startS` seconds into the trace (wrapping around its end),
 * with the rate at each second multiplied by `factor(second)` (incidents slow a network down).
 */
export function downloadSeconds(trace: NetworkTrace, startS: number, bytes: number, factor: (elapsedS: number) => number = () => 1): number {
  let bits = bytes * 8;
  let t = startS;
  const steps = trace.bps.length;
  for (let guard = 0; guard < 100_000; guard++) {
    const second = Math.floor(t);
    const rate = Math.max(FLOOR_BPS, trace.bps[((second % steps) + steps) % steps]! * factor(t - startS));
    const untilNextSecond = second + 1 - t;
    const possible = rate * untilNextSecond;
    if (possible >= bits) return t + bits / rate - startS;
    bits -= possible;
    t = second + 1;
  }
  return t - startS;
}

