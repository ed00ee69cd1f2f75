import { appendEnrichment } from './batch-writer';

const enrichment = { received_at: 1_700_000_000_000, property_id: 'p1', ip_prefix: '10.1.2.0/24' };

describe('storing a beacon as it was sent, enrichment appended', () => {
  it('gives the batch the serialised beacon would give', () => {
    const beacon = { v: 1, view_id: 'v-1', context: { cdn: 'a' }, events: [{ seq: 0, type: 'play', ts: 1, playhead_ms: 0 }] };
    const stored = appendEnrichment(Buffer.from(JSON.stringify(beacon, null, 2) + '\n\t '), enrichment);
    expect(JSON.parse(stored!.toString('utf8'))).toEqual({ ...beacon, enrichment });
  });

  it('keeps multi-byte text byte for byte', () => {
    const text = Buffer.from('{"v":1,"view_id":"v-2","context":{"video_title":"Fjörd 北京 🎬"},"events":[]}');
    const stored = appendEnrichment(text, enrichment)!;
    expect(stored.subarray(0, text.length - 1).equals(text.subarray(0, text.length - 1))).toBe(true);
    expect(JSON.parse(stored.toString('utf8')).context.video_title).toBe('Fjörd 北京 🎬');
  });

  it.each([
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"v":1,"view_id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","events":[]}')])],
    ['no closing brace', Buffer.from('[1,2]')],
    ['nothing but whitespace', Buffer.from('  ')],
  ])('declines %s, so the beacon is serialised instead', (_name, text) => {
    expect(appendEnrichment(text, enrichment)).toBeUndefined();
  });
});
