import { appendEnrichment, batchMessageId } from './stored-batch';
import { wellFormedUtf8 } from './utf8-text';

const enrichment = { received_at: 1_700_000_000_000, property_id: 'p1', ip_prefix: '10.1.2.0/24' };
const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
const text = (batch: Uint8Array) => new TextDecoder().decode(batch);
const concat = (...parts: Uint8Array[]) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return all;
};

describe('storing a beacon as it was sent, enrichment appended', () => {
  it('gives the batch the serialised beacon would give', () => {
    const beacon = { v: 1, view_id: 'v-1', context: { cdn: 'a' }, events: [{ seq: 0, type: 'play', ts: 1, playhead_ms: 0 }] };
    const stored = appendEnrichment(bytes(JSON.stringify(beacon, null, 2) + '\n\t '), enrichment);
    expect(JSON.parse(text(stored!))).toEqual({ ...beacon, enrichment });
  });

  it('keeps multi-byte text byte for byte', () => {
    const sent = bytes('{"v":1,"view_id":"v-2","context":{"video_title":"Fjörd 北京 🎬"},"events":[]}');
    const stored = appendEnrichment(sent, enrichment)!;
    expect(stored.subarray(0, sent.length - 1)).toEqual(sent.subarray(0, sent.length - 1));
    expect(JSON.parse(text(stored)).context.video_title).toBe('Fjörd 北京 🎬');
  });

  it('encodes a multi-byte user agent in the enrichment', () => {
    const stored = appendEnrichment(bytes('{"v":1}'), { ...enrichment, user_agent: 'Fjörd 🎬' })!;
    expect(JSON.parse(text(stored))).toEqual({ v: 1, enrichment: { ...enrichment, user_agent: 'Fjörd 🎬' } });
  });

  it.each([
    ['no closing brace', bytes('[1,2]')],
    ['nothing but whitespace', bytes('  ')],
  ])('declines %s, so the beacon is serialised instead', (_name, sent) => {
    expect(appendEnrichment(sent, enrichment)).toBeUndefined();
  });

  it('never takes invalid UTF-8 as it came: its text is not well-formed, so the beacon is serialised instead', () => {
    const sent = concat(bytes('{"v":1,"view_id":"'), new Uint8Array([0xff, 0xfe]), bytes('","events":[]}'));
    expect(wellFormedUtf8(sent)).toBeUndefined();
    expect(wellFormedUtf8(bytes('{"title":"Fjörd 北京 🎬"}'))).toBe('{"title":"Fjörd 北京 🎬"}');
  });

  it('keeps a byte order mark, which JSON.parse refuses as it does after a lenient decode', () => {
    expect(wellFormedUtf8(bytes('\ufeff{}'))).toBe('\ufeff{}');
  });
});

describe('the id a stored batch is de-duplicated by', () => {
  it('names the source, property, view and the span of sequence numbers', () => {
    const events = [5, 3, 9].map((seq) => ({ seq, type: 'heartbeat' as const, ts: 1, playhead_ms: 0 }));
    expect(batchMessageId('beacon', 'p1', { v: 1, view_id: 'v-1', events })).toBe('beacon:p1:v-1:3:9:3');
  });
});
