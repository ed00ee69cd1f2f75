import { CONTRACT_VERSION } from '@sightline/contracts';
import { expectCommittedJson } from '@sightline/test-support';
import { ingestOpenApi } from './openapi';

describe('ingest OpenAPI document', () => {
  it('is committed as docs/openapi-ingest.json, up to date', () => {
    expectCommittedJson('docs/openapi-ingest.json', ingestOpenApi(CONTRACT_VERSION));
  });
});
