import { mapReport } from './cmcd-mapping';
import { takeInReports } from './cmcd-intake';
import { parseCmcd, parseEventMode, parseRequestMode } from './cmcd-parser';

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

  it('reads parameters of inner-list items (dash.js types each value by object type)', () => {
    expect(parseCmcd('bl=(1900;v 1900;a),br=(2527;v 65;a),nor=("seg-2.m4s";r="0-99"),x=(1;y=?0)')).toEqual({
      bl: [
        { value: 1900, params: { v: true } },
        { value: 1900, params: { a: true } },
      ],
      br: [
        { value: 2527, params: { v: true } },
        { value: 65, params: { a: true } },
      ],
      nor: [{ value: 'seg-2.m4s', params: { r: '0-99' } }],
      x: [{ value: 1, params: { y: false } }],
    });
  });

  it.each(['br=(3200', 'sid="open', 'Bad=1', 'x=@@', 'br=(1;Bad)'])('refuses %s with a reason', (text) => {
    expect(() => parseCmcd(text)).toThrow();
  });

  it.each([
    ['a JSON array', '[{"sid":"v","sn":1},{"sid":"v","sn":2}]', [{ sid: 'v', sn: 1 }, { sid: 'v', sn: 2 }]],
    ['a JSON object', ' {"sid":"v"} ', [{ sid: 'v' }]],
    ['CMCD strings one per line', 'sid="v",sn=1\n\n  sid="v",bs\n', [{ sid: 'v', sn: 1 }, { sid: 'v', bs: true }]],
    ['nothing', '  \n', []],
  ])('reads event-mode reports from %s', (_name, body, reports) => {
    expect(parseEventMode(body)).toEqual(reports);
  });

  it.each([
    ['a JSON report that is not an object', '[1]', 'each JSON report must be an object of CMCD keys'],
    ['a line that is not CMCD', 'sid="v"\nBad=1', 'invalid key "Bad"'],
  ])('refuses %s with the reason', (_name, body, reason) => {
    expect(() => parseEventMode(body)).toThrow(reason);
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

  it('reads the video item of a list typed by object type, the first otherwise', () => {
    expect(mapReport({ e: 't', sta: 'p', sid: 'v', sn: 1, ts: 5, br: [{ value: 65, params: { a: true } }, { value: 2527, params: { v: true } }] }, 0)).toMatchObject({
      event: { type: 'heartbeat', rendition: { bitrate_bps: 2_527_000 } },
    });
    expect(mapReport({ e: 't', sid: 'v', sn: 1, ts: 5, br: [3204, 64] }, 0)).toMatchObject({ event: { rendition: { bitrate_bps: 3_204_000 } } });
  });

  // Every v2 report carries the current state: only a play-state report is a state change.
  it.each([
    ['a time interval', { e: 't', sta: 'p' }, 'heartbeat'],
    ['a bitrate change', { e: 'bc', sta: 'p', br: [1000] }, 'renditionchange'],
    ['a response received', { e: 'rr', sta: 'p', rc: 200 }, 'requestcompleted'],
    ['a playback rate change', { e: 'pr', sta: 'p', pr: 2 }, 'heartbeat'],
    ['a backgrounded change', { e: 'b', sta: 'r' }, 'heartbeat'],
    ['a play state with a state it does not know', { e: 'ps', sta: 'w' }, 'heartbeat'],
    ['a play state', { e: 'ps', sta: 'k' }, 'seeking'],
  ])('maps %s report (%j) to one %s event, not to its state', (_name, report, type) => {
    expect(mapReport({ ...report, sid: 'v', sn: 4, ts: 10 }, 0)).toMatchObject({ event: { seq: 4, type } });
  });

  it('maps a response-received report to its request: status, timings, host', () => {
    const mapped = mapReport({ e: 'rr', sta: 'p', sid: 'v', sn: 9, ts: 10, ot: 'v', rc: 206, ttfb: 40, ttlb: 180, url: 'https://cdn.example.com/seg-3.m4s', br: [2527] }, 0);
    expect(mapped).toMatchObject({
      event: { type: 'requestcompleted', rendition: { bitrate_bps: 2_527_000 }, request: { kind: 'media', status: 206, ttfb_ms: 40, duration_ms: 180, url_host: 'cdn.example.com' } },
    });
  });

  it('needs the session id', () => {
    expect(mapReport({ br: 1 }, 0)).toEqual({ error: 'sid (the view) is missing' });
  });
});

describe('CMCD reports taken in as beacons', () => {
  const ts = 1_700_000_000_000;

  it('makes one beacon per view, its context merged, and names refused reports by index', () => {
    const { beacons, rejected } = takeInReports(
      [
        { e: 'ps', sta: 's', sid: 'a', sn: 0, ts, cid: 'movie' },
        { e: 't', sn: 1, ts },
        { e: 'ps', sta: 'p', sid: 'b', sn: 0, ts },
        { e: 'ps', sta: 'p', sid: 'a', sn: 1, ts: ts + 1000, st: 'v' },
        { e: 'ps', sta: 'r', sid: 'a', sn: 1, ts: ts + 2000 },
      ],
      ts,
    );
    expect(beacons.map((b) => [b.view_id, b.context, b.events.map((e) => e.seq)])).toEqual([
      ['a', { video_id: 'movie', stream_type: 'vod' }, [0, 1]],
      ['b', undefined, [0]],
    ]);
    expect(rejected.map((r) => [r.index, r.issues[0]?.path])).toEqual([
      [1, '/sid'],
      [4, '/seq'],
    ]);
  });

  it('refuses every report of a view whose beacon is refused, in index order', () => {
    const { beacons, rejected } = takeInReports([{ sid: 'old', sn: 0, ts: 5 }, { br: 1 }, { sid: 'old', sn: 1, ts: 6 }], ts);
    expect(beacons).toEqual([]);
    expect(rejected.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(rejected[0]?.issues[0]?.message).toBe('no valid event in the beacon');
  });
});
