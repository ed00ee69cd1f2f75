import { Kind, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Thrown at start-up when an environment variable is missing or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

function describe(schema: TSchema): string {
  if (schema.description) return schema.description;
  if (schema[Kind] === 'Union') return `one of ${(schema.anyOf as TSchema[]).map((s) => JSON.stringify(s.const)).join(', ')}`;
  return String(schema.type ?? schema[Kind]).toLowerCase();
}

/**
 * Reads the variables named by the schema's properties from `env`, applies defaults, converts
 * strings to the declared types and validates. Every bad variable is named in one ConfigError.
 */
export function loadConfig<T extends TObject>(schema: T, env: NodeJS.ProcessEnv = process.env): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const converted = Value.Convert(schema, Value.Default(schema, raw));
  const problems: string[] = [];
  for (const error of Value.Errors(schema, converted)) {
    const key = error.path.replace(/^\//, '').split('/')[0] ?? '';
    const property = schema.properties[key] as TSchema | undefined;
    const given = key in raw ? `got ${JSON.stringify(raw[key])}` : 'not set';
    problems.push(`${key}: ${error.message} (${given}; expected ${property ? describe(property) : 'a value'})`);
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return converted as Static<T>;
}
