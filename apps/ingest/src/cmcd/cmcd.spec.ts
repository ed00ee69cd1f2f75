import { mapReport } from './cmcd-mapping';
import { parseCmcd, parseRequestMode } from './cmcd-parser';

describe('CMCD parsing', () => {
  it('reads the CTA-5004 example', () => {
    expect(parseCmcd('br=3200,bs,d=4004,mtp=25400,ot=v,rtp=15000,sid="6e2fb550-c457-11e9-bb97-0800200c9a66",tb=6000')).toEqual({
      br: 3200,
      bs: true,
      d: 4004,
      mtp: 25400,
      ot: 'v',
      rtp: 15000,
      sid: '6e2fb550-c457-11e9-bb97-0800200c9a66',
      tb: 6000,
    });
  });

  it('reads v2 inner lists, booleans and quoted commas', () => {
    expect(parseCmcd('br=(3200 1500),su=?0,cid="a,b",sta=p')).toEqual({ br: [3200, 1500], su: false, cid: 'a,b', sta: 'p' });
  });

  it('merges the four headers and the query parameter', () => {
    expect(parseRequestMode('sid="v1"', ['br=3200', undefined, 'bs', 'st=v'])).toEqual({ sid: 'v1', br: 3200, bs: true, st: 'v' });
    expect(parseRequestMode(undefined, [undefined])).toBeUndefined();
  });

  it.each(['br=(3200', 'sid="open', 'Bad=1', 'x=@@'])('refuses %s with a reason', (text) => {
    expect(() => parseCmcd(text)).toThrow();
  });
});

describe('CMCD to view events', () => {
  it('maps a v2 play-state event', () => {
    expect(mapReport({ e: 'ps', sta: 'r', sid: 'view-1', sn: 7, ts: 1_700_000_000_000, pt: 12_000, cid: 'movie', st: 'v' }, 0)).toEqual({
      viewId: 'view-1',
      event: { seq: 7, type: 'rebufferstart', ts: 1_700_000_000_000, playhead_ms: 12_000 },
      context: { video_id: 'movie', stream_type: 'vod' },
    });
  });

  it('turns the v2 live latency into the program date time at the playhead', () => {
    const mapped = mapReport({ e: 'ps', sta: 'p', sid: 'live-1', sn: 2, ts: 1_700_000_010_000, ltc: 8000, st: 'l' }, 0);
    expect(mapped).toMatchObject({ event: { type: 'playing', program_date_time: 1_700_000_002_000 }, context: { stream_type: 'live' } });
  });

  it('maps a fatal error with its code', () => {
    const mapped = mapReport({ e: 'e', sta: 'f', ec: ['MEDIA_ERR'], sid: 'v', sn: 3, ts: 1 }, 0);
    expect(mapped).toMatchObject({ event: { type: 'error', error: { code: 'MEDIA_ERR', fatal: true } } });
  });

  it('maps request-mode data to a request with the rendition, ordered by time', () => {
    const mapped = mapReport({ sid: 'v', br: 3200, ot: 'v', cdn: 'cdn-a' }, 1_700_000_000_250);
    expect(mapped).toMatchObject({
      event: { type: 'requestcompleted', seq: Math.floor(1_700_000_000_250 / 100) % 2_147_483_647, rendition: { bitrate_bps: 3_200_000 }, request: { kind: 'media', cdn: 'cdn-a' } },
      context: { cdn: 'cdn-a' },
    });
  });

  it('needs the session id', () => {
    expect(mapReport({ br: 1 }, 0)).toEqual({ error: 'sid (the view) is missing' });
  });
});
