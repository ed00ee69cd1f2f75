import { carryDeltas, encodeDeltas, renditionOfFrame, type Sent } from './delta';
import type { WireEvent } from './wire';

const event = (seq: number): WireEvent => ({ seq, type: 'heartbeat', ts: 1_764_680_000_000 + seq, playhead_ms: seq * 1000 });
const r360 = { bitrate_bps: 400_000, width: 640, height: 360 };
const r720 = { bitrate_bps: 2_500_000, width: 1280, height: 720 };

describe('encodeDeltas', () => {
  it('sends the rendition and player size on the first event and then only when they change', () => {
    const sent: Sent = {};
    const events = [0, 1, 2, 3, 4].map(event);
    encodeDeltas(sent, events[0]!, r360, 1280, 720);
    encodeDeltas(sent, events[1]!, { ...r360 }, 1280, 720);
    encodeDeltas(sent, events[2]!, r720, 1280, 720);
    encodeDeltas(sent, events[3]!, r720, 1920, 1080);
    encodeDeltas(sent, events[4]!, undefined, 0, 0);
    expect(events.map((e) => [e.rendition?.height, e.player_width, e.player_height])).toEqual([
      [360, 1280, 720],
      [undefined, undefined, undefined],
      [720, undefined, undefined],
      [undefined, 1920, 1080],
      [undefined, undefined, undefined],
    ]);
  });

  it('starts from nothing for a new view', () => {
    const first = event(0);
    encodeDeltas({}, first, r720, 640, 360);
    expect(first).toMatchObject({ rendition: r720, player_width: 640, player_height: 360 });
  });
});

describe('carryDeltas', () => {
  it('moves the fields of a dropped event to the next, without overriding its own', () => {
    const dropped = { ...event(1), rendition: r360, player_width: 640, player_height: 360 };
    const next = event(2);
    carryDeltas(dropped, next);
    expect(next).toMatchObject({ rendition: r360, player_width: 640, player_height: 360 });
    const own = { ...event(3), rendition: r720 };
    carryDeltas(dropped, own);
    expect(own.rendition).toBe(r720);
  });
});

describe('renditionOfFrame', () => {
  const list = [r360, { bitrate_bps: 800_000, width: 640, height: 360 }, r720];
  it('finds the rendition of the frame size, keeping the one on screen among equals', () => {
    expect(renditionOfFrame(list, 1280, 720)).toBe(r720);
    expect(renditionOfFrame(list, 640, 360)).toBe(r360);
    expect(renditionOfFrame(list, 640, 360, list[1])).toBe(list[1]);
    expect(renditionOfFrame(list, 640, 360, { bitrate_bps: 900_000, width: 1280, height: 720 })).toBe(list[1]);
    expect(renditionOfFrame(list, 1920, 1080)).toBeUndefined();
    expect(renditionOfFrame([], 640, 360)).toBeUndefined();
  });
});
