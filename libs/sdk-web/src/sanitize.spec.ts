import { cleanError, cleanRendition, requestOf, text, viewContext } from './sanitize';

describe('sanitize', () => {
  it('trims strings to their limit and drops control characters ingest refuses', () => {
    expect(text('a\u0000b\u001Fc\td\n', 10)).toBe('abc\td\n');
    expect(text('x'.repeat(300), 256)).toHaveLength(256);
    expect(text('', 10)).toBeUndefined();
    expect(text('\u0007', 10)).toBeUndefined();
    expect(text(42, 10)).toBeUndefined();
  });

  it('rounds rendition fields to integers and leaves out what does not fit', () => {
    expect(cleanRendition({ bitrate_bps: 1_250_576.4, width: 960.2, height: 540, codec: 'avc1.64001f', fps: 24 })).toEqual({ bitrate_bps: 1_250_576, width: 960, height: 540, codec: 'avc1.64001f', fps: 24 });
    expect(cleanRendition({ bitrate_bps: Number.NaN })).toBeUndefined();
    expect(cleanRendition({ bitrate_bps: -1 })).toBeUndefined();
    expect(cleanRendition({ bitrate_bps: 5e9, width: -3, fps: 5000 })).toEqual({ bitrate_bps: 1e9 });
  });

  it('gives every error a code and a boolean fatal flag', () => {
    expect(cleanError({ code: '', fatal: 'yes' as unknown as boolean })).toEqual({ code: 'unknown', fatal: false });
    expect(cleanError({ code: 'manifestLoadError', message: 'm'.repeat(2000), fatal: true, business: true })).toEqual({ code: 'manifestLoadError', message: 'm'.repeat(1024), fatal: true, business: true });
  });

  it('sends a request’s host only, with integer status and bytes', () => {
    expect(requestOf({ kind: 'media', url: '/media/hls/720p_003.ts?token=secret', ok: true, status: 200, bytes: 812_345.7, duration_ms: 120.5, ttfb_ms: 12 }, 'fastly', 'https://cdn.example.com/page')).toEqual({
      url_host: 'cdn.example.com',
      kind: 'media',
      status: 200,
      bytes: 812_346,
      duration_ms: 121,
      ttfb_ms: 12,
      cdn: 'fastly',
    });
    expect(requestOf({ kind: 'other', url: 'http://[bad', ok: false }, undefined, 'https://x.example')).toEqual({ kind: 'other' });
  });

  it('builds the context from the metadata and the player, leaving out custom dimensions that do not fit', () => {
    const left: string[] = [];
    const custom: Record<string, string> = { Plan: 'x', plan: 'free', ['k'.repeat(33)]: 'x' };
    for (let i = 0; i < 12; i++) custom[`d${i}`] = `v${i}`;
    const context = viewContext({ video_id: 'v42', video_title: 'Launch\u0000', stream_type: 'live', custom }, { name: 'hls.js', version: '1.7.4' }, 'fastly', (m) => left.push(m));
    expect(context).toMatchObject({ video_id: 'v42', video_title: 'Launch', stream_type: 'live', player_name: 'hls.js', player_version: '1.7.4', cdn: 'fastly' });
    expect(Object.keys(context.custom!)).toHaveLength(10);
    expect(context.custom!.plan).toBe('free');
    expect(left).toHaveLength(5);
    expect(viewContext({ cdn: 'akamai', stream_type: 'tv' as 'vod' }, {}, 'fastly', () => undefined)).toEqual({ cdn: 'akamai' });
  });
});
