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

export function nestingProblem(value: unknown, maxDepth = MAX_DEPTH): GuardProblem | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length > 0) {
    const [current, depth, path] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return { path: path || '/', message: `nested deeper than ${maxDepth} levels` };
    for (const [key, child] of Object.entries(current)) stack.push([child, depth + 1, `${path}/${key}`]);
  }
  return undefined;
}

/** Control characters (other than tab, line feed and carriage return) in any string or key. */
export function controlCharacterProblem(value: unknown, path = ''): GuardProblem | undefined {
  if (typeof value === 'string') return CONTROL.test(value) ? { path: path || '/', message: 'contains a control character' } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (CONTROL.test(key)) return { path: `${path}/${key}`, message: 'key contains a control character' };
    const problem = controlCharacterProblem(child, `${path}/${key}`);
    if (problem) return problem;
  }
  return undefined;
}

export function deviceTimeProblem(ts: number, receivedAt: number): GuardProblem | undefined {
  if (ts < MIN_DEVICE_TIME) return { path: '/ts', message: `device time ${ts} is before 2000-01-01` };
  if (ts > receivedAt + MAX_CLOCK_LEAD_MS) return { path: '/ts', message: `device time ${ts} is more than 30 days ahead of the server` };
  return undefined;
}
