import { shakaError, shakaRenditions, shakaRequest } from './shaka';

describe('Shaka mapping', () => {
  it('keeps one rendition per video stream, with the video bandwidth of variant tracks', () => {
    const track = (videoBandwidth: number, height: number, audio: number) => ({
      bandwidth: videoBandwidth + audio,
      videoBandwidth,
      width: (height * 16) / 9,
      height,
      videoCodec: 'avc1.64001f',
      codecs: 'avc1.64001f,mp4a.40.2',
      frameRate: 25,
    });
    expect(shakaRenditions([track(400_000, 360, 96_000), track(400_000, 360, 128_000), track(2_500_000, 720, 96_000)])).toEqual([
      { bitrate_bps: 400_000, width: 640, height: 360, codec: 'avc1.64001f', fps: 25 },
      { bitrate_bps: 2_500_000, width: 1280, height: 720, codec: 'avc1.64001f', fps: 25 },
    ]);
  });

  it('maps shaka.util.Error: severity 2 is fatal, the HTTP status of a bad response is kept', () => {
    expect(shakaError({ severity: 2, category: 1, code: 1001, data: ['https://cdn.example/m.mpd', 404] })).toEqual({ code: 'shaka-1001', fatal: true, message: 'category 1 (HTTP 404)' });
    expect(shakaError({ severity: 1, category: 3, code: 3016 })).toEqual({ code: 'shaka-3016', fatal: false, message: 'category 3' });
  });

  it('reports completed and failed downloads', () => {
    const data = new ArrayBuffer(4096);
    expect(
      shakaRequest({ requestType: 1, response: { uri: 'https://cdn.example/s.m4s', status: 200, data, timeMs: 120.6, headers: { 'cf-ray': '1' } } }),
    ).toEqual({ kind: 'media', url: 'https://cdn.example/s.m4s', ok: true, status: 200, bytes: 4096, duration_ms: 121, cdn: 'cloudflare' });
    expect(shakaRequest({ requestType: 0, request: { uris: ['https://cdn.example/m.mpd'] }, httpResponseCode: 404, aborted: false })).toEqual({
      kind: 'manifest',
      url: 'https://cdn.example/m.mpd',
      ok: false,
      status: 404,
    });
    expect(shakaRequest({ requestType: 1, request: { uris: ['https://cdn.example/s.m4s'] }, aborted: true })).toBeUndefined();
  });
});
