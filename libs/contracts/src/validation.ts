import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

/** One reason a value does not match its schema, addressed by JSON pointer. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A compiled validator: the schema is the single source of the type and the runtime check. */
export interface Validator<T extends TSchema> {
  readonly schema: T;
  validate(value: unknown, maxIssues?: number): ValidationResult<Static<T>>;
}

export function compileValidator<T extends TSchema>(schema: T): Validator<T> {
  const check: TypeCheck<T> = TypeCompiler.Compile(schema);
  return {
    schema,
    validate(value, maxIssues = 10) {
      if (check.Check(value)) return { ok: true, value };
      const issues: ValidationIssue[] = [];
      for (const error of check.Errors(value)) {
        issues.push({ path: error.path || '/', message: error.message });
        if (issues.length >= maxIssues) break;
      }
      return { ok: false, issues };
    },
  };
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
