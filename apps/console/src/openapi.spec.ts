import { CONTRACT_VERSION } from '@sightline/contracts';
import { expectCommittedJson } from '@sightline/test-support';
import { consoleOpenApi } from './openapi';

describe('console OpenAPI document', () => {
  it('is committed as docs/openapi-console.json, up to date', () => {
    expectCommittedJson('docs/openapi-console.json', consoleOpenApi(CONTRACT_VERSION));
  });

  it('names every operation, and says how to authenticate', () => {
    const doc = consoleOpenApi(CONTRACT_VERSION) as { paths: Record<string, Record<string, { operationId?: string }>>; components: { securitySchemes: Record<string, unknown> } };
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
  });
});
