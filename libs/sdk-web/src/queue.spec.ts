import { EventQueue, type Entry } from './queue';
import type { EventType } from './wire';

let seq = 0;
const entry = (type: EventType, key = false, view = 'v1'): Entry => ({ view, key, event: { seq: seq++, type, ts: 1_764_680_000_000, playhead_ms: 0 } });
const types = (q: EventQueue) => q.items.map((e) => e.event.type);

describe('EventQueue', () => {
  it('never holds more than its bound: heartbeats and request reports go first, then other events, key events last', () => {
    const q = new EventQueue(3);
    q.push(entry('rebufferstart', true));
    q.push(entry('pause'));
    q.push(entry('heartbeat'));
    expect(q.push(entry('requestcompleted'))?.event.type).toBe('heartbeat');
    expect(q.push(entry('seeking'))?.event.type).toBe('requestcompleted');
    expect(types(q)).toEqual(['rebufferstart', 'pause', 'seeking']);
    expect(q.push(entry('rebufferend', true))?.event.type).toBe('pause');
    expect(q.push(entry('viewend', true))?.event.type).toBe('seeking');
    expect(q.push(entry('videochange', true))?.event.type).toBe('rebufferstart');
    expect(types(q)).toEqual(['rebufferend', 'viewend', 'videochange']);
    expect(q.dropped).toBe(5);
  });

  it('drops the oldest of a kind, and nothing that is being sent', () => {
    const q = new EventQueue(2);
    const first = entry('heartbeat');
    first.sending = true;
    q.push(first);
    q.push(entry('heartbeat'));
    const dropped = q.push(entry('heartbeat'));
    expect(dropped?.event.seq).toBe(first.event.seq + 1);
    expect(q.items[0]).toBe(first);
  });

  it('moves the delta fields of a dropped event to its view’s next event', () => {
    const q = new EventQueue(2);
    const shift = entry('heartbeat');
    shift.event.rendition = { bitrate_bps: 1_000_000, width: 960, height: 540 };
    q.push(shift);
    q.push(entry('heartbeat', false, 'other'));
    q.push(entry('pause'));
    expect(q.items[1]!.event).toMatchObject({ type: 'pause', rendition: { height: 540 } });
  });

  it('batches the head view’s events, within a count and a size', () => {
    const q = new EventQueue(100);
    for (let i = 0; i < 5; i++) q.push(entry('heartbeat'));
    q.push(entry('viewstart', false, 'v2'));
    expect(q.batch(500, 10_000)).toHaveLength(5);
    expect(q.batch(3, 10_000)).toHaveLength(3);
    expect(q.batch(500, 1)).toHaveLength(1);
    const size = JSON.stringify(q.items[0]!.event).length + 1;
    expect(q.batch(500, size * 2)).toHaveLength(2);
    q.remove(q.batch(500, 10_000));
    expect(q.items.map((e) => e.view)).toEqual(['v2']);
  });
});
