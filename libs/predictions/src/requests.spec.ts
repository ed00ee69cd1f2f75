import { emptyModel, learn } from './model';
import { predictProgress, predictStart } from './predict';
import { answerRequest } from './requests';
import { record } from './synthetic.fixture';

const encode = (body: unknown) => new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
const model = learn(emptyModel(), record({ cdn: 'good' }), Date.parse('2026-11-25T12:00:00Z'));
const asked: string[] = [];
const modelOf = (property: string) => {
  asked.push(property);
  return model;
};

describe('answering prediction requests', () => {
  beforeEach(() => asked.splice(0));

  it('answers a start request from the model of the property it names', () => {
    const request = { property_id: 'shop', context: { cdn: 'good' } };
    expect(answerRequest('start', encode(request), modelOf)).toEqual({ reply: predictStart(model, request) });
    expect(asked).toEqual(['shop']);
  });

  it('answers a progress request with the view\'s progress', () => {
    const request = { property_id: 'shop', context: { cdn: 'good' }, progress: { watch_time_ms: 60_000, rebuffer_count: 1 } };
    expect(answerRequest('progress', encode(request), modelOf)).toEqual({ reply: predictProgress(model, request) });
  });

  it.each([
    ['not JSON', 'start', '{nope', 'INVALID_JSON', /^the request is not JSON: /],
    ['without a property', 'start', { context: {} }, 'INVALID_REQUEST', /property_id/],
    ['with a bad country', 'start', { property_id: 'shop', context: { country: 'norway' } }, 'INVALID_REQUEST', /\/context\/country/],
    ['without progress', 'progress', { property_id: 'shop', context: {} }, 'INVALID_REQUEST', /progress/],
  ] as const)('rejects a request %s with a precise error, asking for no model', (_name, kind, body, code, message) => {
    expect(answerRequest(kind, encode(body), modelOf)).toEqual({ reply: { error: { code, message: expect.stringMatching(message) } }, error: code });
    expect(asked).toEqual([]);
  });
});
