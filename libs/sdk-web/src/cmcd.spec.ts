import { cmcdConfigForHls, cmcdPlayheadForDash, cmcdSettingsForDash, cmcdUrl, playheadLoader, postCmcd } from './cmcd';

const options = { endpoint: 'https://beacons.example.com/', key: 'k 1', contentId: 'video-9', sessionId: 'view-1' };

describe('CMCD helper', () => {
  it('targets ingest /v1/cmcd with the key in the query', () => {
    expect(cmcdUrl(options)).toBe('https://beacons.example.com/v1/cmcd?key=k%201');
  });

  it('configures hls.js for event mode only: play state, errors and a 10 s interval to ingest', () => {
    const { cmcd } = cmcdConfigForHls(options);
    expect(cmcd).toMatchObject({ sessionId: 'view-1', contentId: 'video-9', version: 2, includeKeys: [] });
    expect(cmcd.eventTargets).toEqual([expect.objectContaining({ url: 'https://beacons.example.com/v1/cmcd?key=k%201', events: ['ps', 'e', 't'], interval: 10 })]);
    expect(cmcd.eventTargets[0]!.includeKeys).toEqual(expect.arrayContaining(['sid', 'sn', 'ts', 'e', 'sta', 'pt', 'br']));
  });

  it('configures dash.js the same way, with a new session id when none is given', () => {
    const a = cmcdSettingsForDash({ endpoint: 'https://i.example', key: 'k' }).streaming.cmcd;
    const b = cmcdSettingsForDash({ endpoint: 'https://i.example', key: 'k' }).streaming.cmcd;
    expect(a.sid).not.toBe(b.sid);
    expect(a).toMatchObject({ enabled: true, version: 2, enabledKeys: [], eventTargets: [{ enabled: true, url: 'https://i.example/v1/cmcd?key=k', events: ['ps', 'e', 't'] }] });
  });

  it('puts the playhead on each report without one, the same one when the report is sent again', async () => {
    const video = { currentTime: 12.3456 };
    const bodies: string[] = [];
    const load = playheadLoader(video, async (r) => {
      bodies.push(String(r.body));
      return { status: 202 };
    });
    await load({ url: 'u', body: 'e=t,sid="v",sn=3,sta=p\ne=ps,pt=500,sid="v",sn=4,sta=a\n' });
    video.currentTime = 20;
    await load({ url: 'u', body: 'e=t,sid="v",sn=3,sta=p\ne=t,sid="v",sn=5,sta=p\n' });
    expect(bodies).toEqual(['e=t,sid="v",sn=3,sta=p,pt=12346\ne=ps,pt=500,sid="v",sn=4,sta=a\n', 'e=t,sid="v",sn=3,sta=p,pt=12346\ne=t,sid="v",sn=5,sta=p,pt=20000\n']);
  });

  it('uses the playhead loader for hls.js when given the element', () => {
    expect(cmcdConfigForHls(options).cmcd.loader).toBe(postCmcd);
    expect(cmcdConfigForHls({ ...options, video: { currentTime: 0 } }).cmcd.loader).not.toBe(postCmcd);
  });

  it('adds the playhead to the reports dash.js sends to ingest, and leaves its other requests alone', async () => {
    const intercept = cmcdPlayheadForDash(options, { currentTime: 3.5 });
    const report = await intercept({ url: cmcdUrl(options), body: 'e=t,sid="v",sn=1\n' });
    const segment = await intercept({ url: 'https://cdn.example/seg-1.m4s', body: 'e=t,sn=1' });
    expect([report.body, segment.body]).toEqual(['e=t,sid="v",sn=1,pt=3500\n', 'e=t,sn=1']);
  });
});
