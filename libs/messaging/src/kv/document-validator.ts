import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { compileValidator, type ValidationIssue, type ValidationResult } from '@sightline/contracts';

/**
 * Turns a stored (or submitted) value into a document, or says precisely why it is not one.
 * `compileValidator(schema)` is one; `documentValidator` adds the schema's defaults and checks
 * a schema cannot express.
 */
export interface DocumentValidator<T> {
  validate(value: unknown): ValidationResult<T>;
}

/** Checks across fields that a schema cannot express; each issue names its field by JSON pointer. */
export type DocumentCheck<T> = (document: T) => readonly ValidationIssue[];

/**
 * A validator from a TypeBox schema: the schema's `default`s fill missing fields (on a copy:
 * the value given is never changed), then the schema is checked, then `check` when the schema
 * passed.
 */
export function documentValidator<S extends TSchema>(schema: S, check?: DocumentCheck<Static<S>>): DocumentValidator<Static<S>> {
  const compiled = compileValidator(schema);
  return {
    validate(value) {
      const checked = compiled.validate(Value.Default(schema, Value.Clone(value)));
      if (!checked.ok || !check) return checked;
      const issues = check(checked.value);
      return issues.length === 0 ? checked : { ok: false, issues: [...issues] };
    },
  };
}
