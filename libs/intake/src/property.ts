import { Type, type Static } from '@sinclair/typebox';
import { compileValidator, formatIssues, type ValidationResult } from '@sightline/contracts';

/** A property (tenant): who may send, from which web origins, how fast, and what is added. */
export const PropertySchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
    keys: Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{3,128}$' }), { minItems: 1, maxItems: 20, description: 'Keys players send' }),
    allowed_origins: Type.Array(Type.String({ pattern: '^(\\*|https?://[^/\\s]+)$' }), {
      default: ['*'],
      maxItems: 100,
      description: 'Web origins allowed to send (CORS); * for any',
    }),
    rate_limit_per_second: Type.Number({ exclusiveMinimum: 0, default: 2000, description: 'Beacons a second per ingest instance' }),
    rate_limit_burst: Type.Integer({ minimum: 1, default: 4000 }),
    enrich: Type.Boolean({ default: true, description: 'Add device, OS, browser, country and ASN' }),
  },
  { additionalProperties: false },
);

export type Property = Static<typeof PropertySchema>;

const validator = compileValidator(PropertySchema);

/** Whether a web origin may send for the property (CORS). */
export function allowsOrigin(property: Property, origin: string): boolean {
  return property.allowed_origins.includes('*') || property.allowed_origins.includes(origin);
}

/** Checks a property document, filling defaults (the value given is not changed). */
export function checkProperty(value: unknown): ValidationResult<Property> {
  return validator.validate({ allowed_origins: ['*'], rate_limit_per_second: 2000, rate_limit_burst: 4000, enrich: true, ...(value as object) });
}

/** Checks a property document, filling defaults; throws with the reasons when it is invalid. */
export function parseProperty(value: unknown): Property {
  const checked = checkProperty(value);
  if (!checked.ok) throw new Error(formatIssues(checked.issues));
  return checked.value;
}

/** Parses `key=property,...` into the properties to create when missing (keys grouped by property). */
export function seedProperties(spec: string, defaults: { ratePerSecond: number; burst: number; enrich: boolean }): Property[] {
  const keysById = new Map<string, string[]>();
  for (const [key, id] of spec.split(',').map((pair) => pair.split('=') as [string, string])) {
    keysById.set(id, [...(keysById.get(id) ?? []), key]);
  }
  return [...keysById].map(([id, keys]) =>
    parseProperty({ id, keys, rate_limit_per_second: defaults.ratePerSecond, rate_limit_burst: defaults.burst, enrich: defaults.enrich }),
  );
}
