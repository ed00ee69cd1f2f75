import { hlsError, hlsRequest, levelRendition } from './hlsjs';

const stats = { loaded: 51_200, loading: { start: 1000.4, first: 1040.2, end: 1250.9 } };

describe('hls.js mapping', () => {
  it('maps a level to a rendition with its BANDWIDTH, resolution, codec and frame rate', () => {
    expect(levelRendition({ bitrate: 2_500_000, width: 1280, height: 720, videoCodec: 'avc1.64001f', frameRate: 25 })).toEqual({
      bitrate_bps: 2_500_000,
      width: 1280,
      height: 720,
      codec: 'avc1.64001f',
      fps: 25,
    });
    expect(levelRendition({ bitrate: 64_000, width: 0, height: 0 })).toEqual({ bitrate_bps: 64_000 });
  });

  it('reports a loaded fragment with its status, bytes, duration, time to first byte and CDN', () => {
    const xhr = { status: 200, getResponseHeader: (name: string) => (name === 'x-amz-cf-id' ? 'abc' : null) };
    expect(hlsRequest('media', 'https://cdn.example/seg1.m4s', stats, xhr)).toEqual({
      kind: 'media',
      url: 'https://cdn.example/seg1.m4s',
      ok: true,
      status: 200,
      bytes: 51_200,
      duration_ms: 251,
      ttfb_ms: 40,
      cdn: 'cloudfront',
    });
  });

  it('reports a failed load with the HTTP status and no bytes', () => {
    const failed = hlsRequest('manifest', 'https://cdn.example/master.m3u8', stats, { status: 404 }, 404);
    expect(failed).toMatchObject({ kind: 'manifest', ok: false, status: 404 });
    expect(failed.bytes).toBeUndefined();
    expect(hlsRequest('media', 'https://cdn.example/s.ts', undefined, null, null)).toEqual({ kind: 'media', url: 'https://cdn.example/s.ts', ok: false });
  });

  it('maps ERROR to a player error: details as code, the fatal flag kept', () => {
    expect(hlsError({ type: 'networkError', details: 'manifestLoadError', fatal: true, error: { message: 'HTTP Error 404 Not Found' } })).toEqual({
      code: 'manifestLoadError',
      fatal: true,
      message: 'HTTP Error 404 Not Found',
    });
    expect(hlsError({ type: 'mediaError', details: 'bufferStalledError', fatal: false })).toEqual({ code: 'bufferStalledError', fatal: false });
  });
});
