import { vhsRequest, videojsError, videojsRendition } from './videojs';

describe('video.js mapping', () => {
  it('maps quality levels and VHS representations to renditions', () => {
    expect(videojsRendition({ bitrate: 1_000_000, width: 960, height: 540, frameRate: 30 })).toEqual({ bitrate_bps: 1_000_000, width: 960, height: 540, fps: 30 });
    expect(videojsRendition({ bandwidth: 400_000, width: 640, height: 360, codecs: 'avc1.42c01e' })).toEqual({ bitrate_bps: 400_000, width: 640, height: 360, codec: 'avc1.42c01e' });
    expect(videojsRendition({ width: 640, height: 360 })).toBeUndefined();
  });

  it('reports VHS requests by their request type', () => {
    const body = new ArrayBuffer(2048);
    expect(vhsRequest({ uri: 'https://cdn.example/s1.ts', requestType: 'segment', requestTime: 1000 }, { statusCode: 200, body }, 1180)).toEqual({
      kind: 'media',
      url: 'https://cdn.example/s1.ts',
      ok: true,
      status: 200,
      bytes: 2048,
      duration_ms: 180,
    });
    expect(vhsRequest({ uri: 'https://cdn.example/m.m3u8', requestType: 'hls-playlist', status: 404 }, undefined, 0)).toEqual({
      kind: 'manifest',
      url: 'https://cdn.example/m.m3u8',
      ok: false,
      status: 404,
    });
    expect(vhsRequest({ uri: 'https://cdn.example/s2.ts', requestType: 'segment', aborted: true }, undefined, 0)).toBeUndefined();
  });

  it('maps the player error to a fatal one with its code', () => {
    expect(videojsError({ code: 4, message: 'The media could not be loaded' })).toEqual({ code: 'videojs-4', fatal: true, message: 'The media could not be loaded' });
  });
});
