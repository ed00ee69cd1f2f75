import type { Static, TSchema } from '@sinclair/typebox';
import { formatIssues, type Validator } from '@sightline/contracts';
import type { DeadLetter } from '../dead-letter';

/** An input as the stage gets it, or why it is dead-lettered instead. */
export type DecodedInput<T extends TSchema> =
  | { readonly ok: true; readonly value: Static<T> }
  | { readonly ok: false; readonly reason: DeadLetter['reason']; readonly error: string };

/** Parses a message's JSON and checks it against the stage's schema. */
export function decodeInput<T extends TSchema>(text: string, validator: Validator<T>): DecodedInput<T> {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'invalid_payload', error: `not JSON: ${(error as Error).message}` };
  }
  const checked = validator.validate(payload);
  if (!checked.ok) return { ok: false, reason: 'invalid_payload', error: formatIssues(checked.issues) };
  return { ok: true, value: checked.value };
}
