import type { AdapterSink } from '../../types';
import { internalSeeks } from './adapter-kit';

/** The parts of a media element a seek shows: `seeking`, `currentTime` and the `seeking` event (dispatched later, as a task). */
class FakeElement extends EventTarget {
  seeking = false;
  currentTime = 0;

  /** What setting `currentTime` does: the element seeks at once, its `seeking` event comes later. */
  seek(to: number): void {
    this.currentTime = to;
    this.seeking = true;
  }

  fire(type: 'seeking' | 'seeked'): void {
    if (type === 'seeked') this.seeking = false;
    this.dispatchEvent(new Event(type));
  }
}

function setUp() {
  const video = new FakeElement();
  let told = 0;
  const sink = { internalSeek: () => told++ } as unknown as AdapterSink;
  const seeks = internalSeeks(video as unknown as HTMLVideoElement, sink);
  return { video, seeks, told: () => told };
}

describe('internalSeeks', () => {
  it('tells a seek the player has just made, once however often it is checked', () => {
    const { video, seeks, told } = setUp();
    video.seek(10.07);
    seeks.check();
    seeks.check();
    video.fire('seeking');
    seeks.check();
    expect(told()).toBe(1);
  });

  it('tells a second seek the player makes before its first one ends (hls.js: a nudge into a hole, then a skip past it)', () => {
    const { video, seeks, told } = setUp();
    video.seek(10.071731);
    seeks.check();
    video.fire('seeking');
    video.seek(10.6);
    seeks.check();
    video.fire('seeking');
    video.fire('seeked');
    expect(told()).toBe(2);
  });

  it('does not tell a viewer seek in progress, nor anything while not seeking', () => {
    const { video, seeks, told } = setUp();
    seeks.check();
    video.seek(20);
    video.fire('seeking');
    seeks.check();
    video.fire('seeked');
    video.currentTime = 21;
    seeks.check();
    expect(told()).toBe(0);
  });
});
