import { dashError, dashRequest, representationRendition, type DashHttpRequest } from './dashjs';

const at = (ms: number) => new Date(1_700_000_000_000 + ms);

describe('dash.js mapping', () => {
  it('maps a representation to a rendition with its bandwidth', () => {
    expect(representationRendition({ bandwidth: 1_000_000, width: 960, height: 540, codecs: 'avc1.4d401f', frameRate: 30 })).toEqual({
      bitrate_bps: 1_000_000,
      width: 960,
      height: 540,
      codec: 'avc1.4d401f',
      fps: 30,
    });
  });

  it('reports an HttpList entry: kind, status, bytes from the trace, timings, CDN from the headers', () => {
    const m: DashHttpRequest = {
      type: 'MediaSegment',
      url: 'https://cdn.example/v/2.m4s',
      actualurl: 'https://edge.example/v/2.m4s',
      responsecode: 200,
      trequest: at(0),
      tresponse: at(35),
      _tfinish: at(180),
      trace: [{ b: [1000, 2000] }, { b: [500] }],
      _responseHeaders: 'Content-Type: video/mp4\r\nX-CDN: edgeone\r\n',
    };
    expect(dashRequest(m)).toEqual({ kind: 'media', url: 'https://edge.example/v/2.m4s', ok: true, status: 200, bytes: 3500, duration_ms: 180, ttfb_ms: 35, cdn: 'edgeone' });
  });

  it('reports a failed manifest with ok false and skips CMCD reports and licenses', () => {
    const failed: DashHttpRequest = { type: 'MPD', url: 'https://cdn.example/m.mpd', responsecode: 404, trequest: at(0), tresponse: at(10), _tfinish: at(12) };
    expect(dashRequest(failed)).toMatchObject({ kind: 'manifest', ok: false, status: 404 });
    expect(dashRequest({ ...failed, type: 'CmcdEvent', responsecode: 202 })).toBeUndefined();
    expect(dashRequest({ ...failed, type: 'license' })).toBeUndefined();
  });

  it('maps ERROR: a manifest failure is fatal, a failed segment is a warning', () => {
    expect(dashError({ error: { code: 25, message: 'Failed loading manifest' } })).toEqual({ code: 'dashjs-25', fatal: true, message: 'Failed loading manifest' });
    expect(dashError({ error: { code: 27, message: 'segment not available' } })).toMatchObject({ code: 'dashjs-27', fatal: false });
    expect(dashError({ error: 'capability', event: 'mediasource' })).toEqual({ code: 'dashjs-capability', fatal: true, message: 'mediasource' });
  });
});
