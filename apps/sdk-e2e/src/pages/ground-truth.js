// The player's own ground truth, recorded in the page independently of the SDK: what the test
// asked for (play, pause, seek, exit), what the screen showed (first frame, the frame size on
// screen) and what the playhead did (sampled every 50 ms). Times are the SDK's clock:
// performance.timeOrigin + performance.now(), in ms.

const SAMPLE_MS = 50;
/** A playhead that does not advance for this long, while it should, is a stall. */
const STALL_MS = 250;

export const now = () => performance.timeOrigin + performance.now();

/**
 * Watches `video`. `bitrateOf(width, height)` gives the bitrate of the rendition a frame size
 * belongs to (null when unknown), as the player reports that rendition's bitrate.
 */
export class GroundTruth {
  constructor(video, bitrateOf) {
    this.video = video;
    this.bitrateOf = bitrateOf;
    this.playRequestedAt = null;
    this.firstFrameAt = null;
    /** A frame presented after the play request while the element could not play yet. */
    this.frameShownAt = null;
    /** The first sample, after the play request, with the playhead past where it was at the request (for comparison). */
    this.firstAdvanceAt = null;
    this.playheadAtRequest = null;
    this.firstPlayingEventAt = null;
    this.exitedAt = null;
    this.fatalError = null;
    this.seeks = 0;
    this.pauses = 0;
    /** Stalls from the sampled playhead: {start, end}. */
    this.stalls = [];
    /** Stalls from the player's waiting → playing after the first frame, outside seeks and pauses. */
    this.playerStalls = [];
    /** Frame sizes on screen: {at, width, height}. */
    this.renditions = [];
    this.pausedMs = 0;
    this.playingMsByBitrate = new Map();
    this.playingMsUnknown = 0;
    this.inAd = false;
    this.adMs = 0;
    /** Ad time between the play request and the first frame (a pre-roll): not content startup. */
    this.adMsBeforeStart = 0;
    this.ended = false;
    this.endedAt = null;

    this.pausedSince = null;
    this.seekingSince = null;
    this.stallCandidateSince = null;
    this.stallOpen = null;
    this.pendingStuckMs = 0;
    this.lastPlayhead = null;
    this.lastSampleAt = null;
    /** Where, in the last interval the playhead moved, it stopped (when it did not move to the interval's end). */
    this.stoppedAt = null;
    this.waitingSince = null;
    this.adSince = null;

    // The first frame of the view is a frame presented while the element plays: a paused element
    // shows one once loaded, and an element asked to play shows the first decoded frame while it
    // still waits for data (dash.js: 100 ms before its readyState let it play). So it is the later
    // of the first frame presented after the play request and the element playing (readyState
    // HAVE_FUTURE_DATA, a playback rate above 0: Shaka holds it at 0 while it buffers).
    const playingNow = () => !video.paused && video.readyState >= 3 && video.playbackRate > 0 && !this.inAd;
    const onFrame = () => {
      if (this.firstFrameAt === null && this.playRequestedAt !== null && !video.paused && !this.inAd) {
        if (playingNow()) this.firstFrameAt = now();
        else this.frameShownAt ??= now();
      }
      if (this.firstFrameAt === null) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    const startsPlaying = () => {
      if (this.firstFrameAt === null && this.frameShownAt !== null && playingNow()) this.firstFrameAt = now();
    };
    video.addEventListener('ratechange', startsPlaying);

    video.addEventListener('playing', () => {
      startsPlaying();
      if (this.firstPlayingEventAt === null && this.playRequestedAt !== null) this.firstPlayingEventAt = now();
      if (this.waitingSince !== null) {
        this.playerStalls.push({ start: this.waitingSince, end: now() });
        this.waitingSince = null;
      }
    });
    video.addEventListener('waiting', () => {
      if (this.firstFrameAt !== null && this.seekingSince === null && !video.paused && !this.inAd && this.waitingSince === null && this.exitedAt === null) this.waitingSince = now();
    });
    video.addEventListener('seeking', () => {
      if (this.waitingSince !== null) this.waitingSince = null;
    });
    // A viewer seek lasts until the playhead moves again from its target (docs/metrics.md#seeks:
    // until playing), see sample(); the player's own seeks (gap jumps) do not stop stall detection.
    video.addEventListener('seeked', () => {
      this.restartSampling(now());
    });
    video.addEventListener('resize', () => this.noteSize());
    video.addEventListener('ended', () => {
      if (this.exitedAt !== null || this.ended) return;
      this.sample();
      this.closeStall(now());
      this.ended = true;
      this.endedAt = now();
    });
    video.addEventListener('error', () => {
      if (!this.fatalError && video.error) this.fail(`media:${video.error.code}`);
    });
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  /** The test asks to play (the first call is the play request of the view). */
  play(at = now()) {
    // An element whose source already failed refuses play() (no play event, the promise rejects):
    // that is no play request, for the player or for the metrics.
    if (this.video.error) return;
    if (this.playRequestedAt === null) {
      this.playRequestedAt = at;
      this.playheadAtRequest = this.video.currentTime;
    }
    if (this.pausedSince !== null) {
      this.pausedMs += at - this.pausedSince;
      this.pausedSince = null;
      this.restartSampling(at);
    }
  }

  /** The test pauses (after the first frame). */
  pause() {
    this.sample();
    const at = now();
    this.closeStall(at);
    if (this.pausedSince === null) {
      this.pausedSince = at;
      this.pauses += 1;
    }
  }

  /** The test seeks (a viewer seek). */
  seek() {
    this.sample();
    const at = now();
    this.closeStall(at);
    this.seeks += 1;
    this.seekingSince = at;
  }

  /** An ad break starts or ends (content time in between is not content's). */
  ad(on) {
    this.sample();
    const at = now();
    if (on && !this.inAd) {
      this.closeStall(at);
      this.inAd = true;
      this.adSince = at;
    } else if (!on && this.inAd) {
      this.inAd = false;
      this.adMs += at - this.adSince;
      if (this.firstFrameAt === null && this.playRequestedAt !== null) this.adMsBeforeStart += at - this.adSince;
      this.adSince = null;
      this.restartSampling(at);
    }
  }

  fail(code) {
    if (this.fatalError) return;
    this.sample();
    const at = now();
    this.closeStall(at);
    this.fatalError = { code, at };
  }

  /** The viewer leaves (monitor.destroy() follows at once). */
  exit() {
    if (this.exitedAt !== null) return;
    this.sample();
    const at = now();
    this.closeStall(at);
    if (this.pausedSince !== null) {
      this.pausedMs += at - this.pausedSince;
      this.pausedSince = null;
    }
    this.exitedAt = at;
    clearInterval(this.timer);
  }

  noteSize() {
    const { videoWidth: width, videoHeight: height } = this.video;
    const last = this.renditions[this.renditions.length - 1];
    if (width > 0 && (!last || last.width !== width || last.height !== height)) this.renditions.push({ at: now(), width, height });
  }

  /** The playhead is measured from here on (after a seek, a pause, an ad, or while it should not move). */
  restartSampling(at, playhead = this.video.currentTime) {
    this.lastPlayhead = playhead;
    this.lastSampleAt = at;
    this.stoppedAt = null;
  }

  /** Should the playhead be moving now? */
  shouldAdvance() {
    const v = this.video;
    return this.firstFrameAt !== null && this.exitedAt === null && !this.ended && !this.fatalError && !v.paused && this.pausedSince === null && this.seekingSince === null && !this.inAd;
  }

  sample() {
    const at = now();
    const playhead = this.video.currentTime;
    this.noteSize();
    if (this.firstAdvanceAt === null && this.playheadAtRequest !== null && !this.inAd && playhead > this.playheadAtRequest) this.firstAdvanceAt = at;
    if (this.seekingSince !== null && !this.video.seeking && this.lastPlayhead !== null && playhead > this.lastPlayhead) this.seekingSince = null;
    if (!this.shouldAdvance()) {
      this.restartSampling(at, playhead);
      this.stallCandidateSince = null;
      this.pendingStuckMs = 0;
      return;
    }
    if (this.lastSampleAt === null) {
      this.lastPlayhead = playhead;
      this.lastSampleAt = at;
      return;
    }
    const dt = at - this.lastSampleAt;
    const advanced = playhead > this.lastPlayhead;
    // The device time the playhead moved in this interval, at the element's rate: a stall began or
    // ended inside it, at that much from its start or its end (a sample's 50 ms would otherwise
    // bias a stall of 0.5 s by up to 20%).
    const moving = Math.min(dt, ((playhead - this.lastPlayhead) * 1000) / (this.video.playbackRate || 1));
    if (advanced) {
      if (this.stallOpen) {
        this.stalls.push({ start: this.stallOpen.start, end: at - moving });
        this.stallOpen = null;
        this.addPlaying(moving, at);
      } else {
        this.addPlaying(this.pendingStuckMs + dt, at);
      }
      this.pendingStuckMs = 0;
      this.stallCandidateSince = null;
      this.stoppedAt = this.lastSampleAt + moving;
    } else if (!this.stallOpen) {
      if (this.stallCandidateSince === null) this.stallCandidateSince = this.stoppedAt ?? this.lastSampleAt;
      this.pendingStuckMs += dt;
      if (at - this.stallCandidateSince >= STALL_MS) {
        this.stallOpen = { start: this.stallCandidateSince };
        this.pendingStuckMs = 0;
      }
    }
    this.lastPlayhead = playhead;
    this.lastSampleAt = at;
  }

  /**
   * Playing time `ms` ending at `end`, split at the frame-size changes inside it: each part at the
   * bitrate of the frame then on screen (the size at the sample alone would give a switch's whole
   * interval to the new rendition, 2% of a 3 s view's bitrate).
   */
  addPlaying(ms, end = now()) {
    let to = end;
    let left = ms;
    for (let i = this.renditions.length - 1; i >= 0 && left > 0; i--) {
      const r = this.renditions[i];
      const part = Math.min(left, Math.max(0, to - r.at));
      if (part > 0) this.addPlayingAt(r.width, r.height, part);
      left -= part;
      to = Math.min(to, r.at);
    }
    if (left > 0) this.addPlayingAt(0, 0, left);
  }

  addPlayingAt(width, height, ms) {
    const bitrate = width > 0 ? this.bitrateOf(width, height) : null;
    if (bitrate === null || bitrate === undefined) this.playingMsUnknown += ms;
    else this.playingMsByBitrate.set(bitrate, (this.playingMsByBitrate.get(bitrate) ?? 0) + ms);
  }

  closeStall(at) {
    if (this.stallOpen) {
      this.stalls.push({ start: this.stallOpen.start, end: at });
      this.stallOpen = null;
    } else if (this.pendingStuckMs > 0) {
      this.addPlaying(this.pendingStuckMs);
    }
    this.pendingStuckMs = 0;
    this.stallCandidateSince = null;
    if (this.waitingSince !== null) {
      this.playerStalls.push({ start: this.waitingSince, end: at });
      this.waitingSince = null;
    }
  }

  /** The figures, in the sessionizer's terms (docs/metrics.md). */
  summary() {
    const end = this.exitedAt ?? this.endedAt ?? now();
    // A fatal error ends watch time, but for one before the play request: that play is a retry
    // (docs/metrics.md: play after a fatal error starts again), watched until the exit.
    const failedAt = this.fatalError && this.playRequestedAt !== null && this.fatalError.at >= this.playRequestedAt ? this.fatalError.at : end;
    const stopAt = Math.min(end, this.endedAt ?? end, failedAt);
    let playingMs = 0;
    let weighted = 0;
    for (const [bitrate, ms] of this.playingMsByBitrate) {
      playingMs += ms;
      weighted += bitrate * ms;
    }
    const started = this.firstFrameAt !== null;
    // The first frame is the first new frame presented while playing (requestVideoFrameCallback);
    // the first playhead advance is kept beside it (headless Chromium moves the playhead of a
    // preloaded element up to a few hundred ms before it presents a new frame).
    const watchMs = this.playRequestedAt === null ? 0 : Math.max(0, stopAt - this.playRequestedAt - this.pausedMs - this.adMs);
    return {
      play_requested_at: this.playRequestedAt,
      first_frame_at: this.firstFrameAt,
      first_playing_event_at: this.firstPlayingEventAt,
      first_advance_at: this.firstAdvanceAt,
      startup_time_ms: started && this.playRequestedAt !== null ? this.firstFrameAt - this.playRequestedAt - this.adMsBeforeStart : null,
      started,
      rebuffer_count: this.stalls.length,
      rebuffer_duration_ms: this.stalls.reduce((sum, s) => sum + (s.end - s.start), 0),
      stalls: this.stalls.map((s) => ({ start: s.start, ms: s.end - s.start })),
      player_rebuffer_count: this.playerStalls.length,
      player_rebuffer_duration_ms: this.playerStalls.reduce((sum, s) => sum + (s.end - s.start), 0),
      weighted_average_bitrate_bps: playingMs > 0 ? weighted / playingMs : null,
      playing_ms_known_bitrate: playingMs,
      playing_ms_unknown_bitrate: this.playingMsUnknown,
      watch_time_ms: watchMs,
      seek_count: this.seeks,
      pause_count: this.pauses,
      exited_before_start: this.exitedAt !== null && this.playRequestedAt !== null && !started && !this.fatalError,
      fatal_error: this.fatalError ? this.fatalError.code : null,
      start_failed: this.fatalError !== null && !started,
      renditions: this.renditions,
      ad_ms: this.adMs,
      ended: this.ended,
      current_time_s: this.video.currentTime,
    };
  }
}
