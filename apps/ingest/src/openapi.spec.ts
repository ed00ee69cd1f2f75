import { CONTRACT_VERSION } from '@sightline/contracts';
import { COMMON_ERRORS } from '@sightline/service-kit';
import { expectCommittedJson } from '@sightline/test-support';
import { ingestErrors } from './ingest-errors';
import { ANSWERED_CODES, ingestOpenApi } from './openapi';

describe('ingest OpenAPI document', () => {
  it('is committed as docs/openapi-ingest.json, up to date', () => {
    expectCommittedJson('docs/openapi-ingest.json', ingestOpenApi(CONTRACT_VERSION));
  });

  it('lists every code ingest defines itself', () => {
    const own = Object.keys(ingestErrors.codes).filter((code) => !(code in COMMON_ERRORS));
    expect(own.filter((code) => !(ANSWERED_CODES as readonly string[]).includes(code))).toEqual([]);
  });
});
