/**
 * Checks the schema cannot express: how deep a body nests, control characters in strings, and
 * device times that cannot be true. Each returns the first problem with a JSON pointer, or
 * undefined.
 */

export interface GuardProblem {
  readonly path: string;
  readonly message: string;
}

/** Deepest nesting a beacon needs is 4 (beacon > events > event > rendition); 8 leaves room. */
export const MAX_DEPTH = 8;

/** Earliest device time accepted: 2000-01-01. */
export const MIN_DEVICE_TIME = 946_684_800_000;

/** How far ahead of the server a device clock may run before an event is refused. */
export const MAX_CLOCK_LEAD_MS = 30 * 24 * 3600 * 1000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

type Verdict = 'problem' | 'descend' | 'skip';

interface Found {
  readonly segments: string[];
  readonly atKey: boolean;
}

/**
 * Walks `value` depth first, asking `test` about every value and every object key, until it
 * answers 'problem'; the path is built only then, so a clean body costs no string work.
 */
function find(value: unknown, depth: number, test: (value: unknown, depth: number, isKey: boolean) => Verdict): Found | undefined {
  const verdict = test(value, depth, false);
  if (verdict === 'problem') return { segments: [], atKey: false };
  if (verdict === 'skip' || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = find(value[i], depth + 1, test);
      if (found) return { segments: [String(i), ...found.segments], atKey: found.atKey };
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (test(key, depth + 1, true) === 'problem') return { segments: [key], atKey: true };
    const found = find((value as Record<string, unknown>)[key], depth + 1, test);
    if (found) return { segments: [key, ...found.segments], atKey: found.atKey };
  }
  return undefined;
}

const pointer = (segments: string[]) => (segments.length === 0 ? '/' : `/${segments.join('/')}`);

/** Path segments to the first object or array at `maxDepth` or deeper, or undefined. */
function tooDeep(value: object, depth: number, maxDepth: number): string[] | undefined {
  if (depth >= maxDepth) return [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object') continue;
      const found = tooDeep(item, depth + 1, maxDepth);
      if (found) return [String(i), ...found];
    }
    return undefined;
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === null || typeof item !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) continue;
    const found = tooDeep(item, depth + 1, maxDepth);
    if (found) return [key, ...found];
  }
  return undefined;
}

export function nestingProblem(value: unknown, maxDepth = MAX_DEPTH): GuardProblem | undefined {
  const found = value !== null && typeof value === 'object' ? tooDeep(value, 0, maxDepth) : undefined;
  return found && { path: pointer(found), message: `nested deeper than ${maxDepth} levels` };
}

/** Control characters (other than tab, line feed and carriage return) in any string or key. */
export function controlCharacterProblem(value: unknown): GuardProblem | undefined {
  const found = find(value, 0, (current) => (typeof current !== 'string' ? 'descend' : CONTROL.test(current) ? 'problem' : 'skip'));
  return found && { path: pointer(found.segments), message: found.atKey ? 'key contains a control character' : 'contains a control character' };
}

/**
 * Whether the strings of a JSON text can hold a control character: JSON allows none raw, so
 * only an escape (a backslash) or a raw DEL (0x7f) can bring one. A body with neither needs no
 * walk through its strings.
 */
export function mayHoldControlCharacters(json: Uint8Array): boolean {
  return json.includes(0x5c) || json.includes(0x7f);
}

export function deviceTimeProblem(ts: number, receivedAt: number): GuardProblem | undefined {
  if (ts < MIN_DEVICE_TIME) return { path: '/ts', message: `device time ${ts} is before 2000-01-01` };
  if (ts > receivedAt + MAX_CLOCK_LEAD_MS) return { path: '/ts', message: `device time ${ts} is more than 30 days ahead of the server` };
  return undefined;
}
