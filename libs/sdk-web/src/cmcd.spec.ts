import { cmcdConfigForHls, cmcdSettingsForDash, cmcdUrl } from './cmcd';

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
});
