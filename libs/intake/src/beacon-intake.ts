import { Type } from '@sinclair/typebox';
import { controlCharacterProblem, deviceTimeProblem, MAX_CLOCK_LEAD_MS, MIN_DEVICE_TIME, nestingProblem } from './input-guards';
import {
  compileValidator,
  MAX_EVENTS_PER_BEACON,
  PlayerEventSchema,
  ViewContextSchema,
  type Beacon,
  type PlayerEvent,
  type ValidationIssue,
} from '@sightline/contracts';

/** The beacon without its events, which are validated one by one. */
const EnvelopeSchema = Type.Object(
  {
    v: Type.Literal(1),
    view_id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' }),
    context: Type.Optional(ViewContextSchema),
    events: Type.Array(Type.Unknown(), { minItems: 1 }),
  },
  { additionalProperties: false },
);

const envelope = compileValidator(EnvelopeSchema);
const event = compileValidator(PlayerEventSchema);

export interface RejectedEvent {
  readonly index: number;
  readonly issues: ValidationIssue[];
}

export type IntakeResult =
  | { ok: true; beacon: Beacon; rejected: RejectedEvent[] }
  | { ok: false; reason: 'invalid' | 'too_many_events' | 'too_deep'; issues: ValidationIssue[]; rejected: RejectedEvent[] };

export interface IntakeOptions {
  /**
   * false when the JSON text the body was parsed from cannot hold control characters
   * (`mayHoldControlCharacters`), which spares looking for them string by string.
   */
  readonly controlCharacters?: boolean;
}

/**
 * Checks a decoded beacon: the envelope must be valid; each event is judged on its own, so
 * valid events are kept and invalid ones reported by index. Repeated sequence numbers within
 * the beacon are rejected after the first.
 */
export function takeIn(body: unknown, receivedAt: number, options: IntakeOptions = {}): IntakeResult {
  const lookForControl = options.controlCharacters !== false;
  const deep = nestingProblem(body);
  if (deep) return { ok: false, reason: 'too_deep', issues: [deep], rejected: [] };
  const checked = envelope.validate(body);
  if (!checked.ok) return { ok: false, reason: 'invalid', issues: checked.issues, rejected: [] };
  if (checked.value.events.length > MAX_EVENTS_PER_BEACON) {
    const message = `${checked.value.events.length} events; a beacon holds at most ${MAX_EVENTS_PER_BEACON}`;
    return { ok: false, reason: 'too_many_events', issues: [{ path: '/events', message }], rejected: [] };
  }
  const envelopeControl = lookForControl ? controlCharacterProblem({ view_id: checked.value.view_id, context: checked.value.context }) : undefined;
  if (envelopeControl) return { ok: false, reason: 'invalid', issues: [envelopeControl], rejected: [] };
  const accepted: PlayerEvent[] = [];
  const rejected: RejectedEvent[] = [];
  const seen = new Set<number>();
  const candidates = checked.value.events;
  const latest = receivedAt + MAX_CLOCK_LEAD_MS;
  for (let index = 0; index < candidates.length; index++) {
    const candidate = candidates[index];
    const result = event.validate(candidate, 3);
    if (!result.ok) {
      rejected.push({ index, issues: result.issues });
      continue;
    }
    const { ts } = result.value;
    // The usual case is compared here; deviceTimeProblem only words the refusal.
    const guard =
      (lookForControl ? controlCharacterProblem(candidate) : undefined) ??
      (ts < MIN_DEVICE_TIME || ts > latest ? deviceTimeProblem(ts, receivedAt) : undefined);
    if (guard) {
      rejected.push({ index, issues: [guard] });
    } else if (seen.has(result.value.seq)) {
      rejected.push({ index, issues: [{ path: '/seq', message: `sequence number ${result.value.seq} repeats an earlier event` }] });
    } else {
      seen.add(result.value.seq);
      accepted.push(result.value);
    }
  }
  if (accepted.length === 0) {
    return { ok: false, reason: 'invalid', issues: [{ path: '/events', message: 'no valid event in the beacon' }], rejected };
  }
  const { v, view_id, context } = checked.value;
  return { ok: true, beacon: { v, view_id, ...(context ? { context } : {}), events: accepted }, rejected };
}
