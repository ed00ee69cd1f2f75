/**
 * The public types of the Sightline web SDK (`@sightline/web`): what an integrator passes to
 * `monitor()`, what it gets back, and the port a player adapter (hls.js, dash.js, Shaka, video.js)
 * plugs into. Wire formats are in docs/sdk.md; they agree with libs/contracts (checked by a test),
 * but the SDK has no runtime dependency on it.
 */

/** What the integrator knows about the video and the viewer; sent once per view, in `context`. */
export interface ViewMetadata {
  readonly video_id?: string;
  readonly video_title?: string;
  readonly stream_type?: 'vod' | 'live';
  readonly cdn?: string;
  /** Any stable id of the viewer; the SDK sends only a hash of it (SHA-256, hex, truncated). */
  readonly viewer_id?: string;
  /** At most 10 custom dimensions, keys `^[a-z][a-z0-9_]{0,31}$`. */
  readonly custom?: Readonly<Record<string, string>>;
}

export interface MonitorOptions {
  /** The property's beacon key (`?key=` of `/v1/beacons`). */
  readonly key: string;
  /** Base URL of ingest, e.g. `https://beacons.example.com`; beacons go to `${endpoint}/v1/beacons`. */
  readonly endpoint: string;
  readonly metadata?: ViewMetadata;
  /** The player's adapter (`hlsjs(hls)`, `dashjs(player)`, `shaka(player)`, `videojs(player)`); without one, the `<video>` element alone is watched. */
  readonly adapter?: PlayerAdapter;
  /**
   * Where stalls come from: `'player'` (default) reports them as `rebufferstart`/`rebufferend`
   * from the player's events; `'playhead'` reports none and lets the sessionizer infer them
   * from the playhead (docs/metrics.md#stalls-inferred-from-the-playhead).
   */
  readonly stalls?: 'player' | 'playhead';
  /**
   * The renditions of the source, for a `<video>` without an adapter (a progressive MP4 whose
   * bitrate the page knows): the frame on screen is matched against them, as against an adapter's.
   */
  readonly renditions?: readonly Rendition[];
  /** Share of views monitored, 0..1 (default 1); decided once per view. */
  readonly sampleRate?: number;
  /** Heartbeat period while a view is open, ms (default 10 000; must stay well under the 60 s completion silence). */
  readonly heartbeatMs?: number;
  /** Longest time an event waits in the batch before it is sent, ms (default 5 000). */
  readonly flushMs?: number;
  /** Most events kept while ingest cannot be reached (default 5 000); the oldest non-key events go first. */
  readonly maxQueuedEvents?: number;
  /** Logs what the SDK sends and why to the console. */
  readonly debug?: boolean;
}

/** Calls for an ad SDK (IMA, a VAST player): ad time is kept out of content startup and rebuffering. */
export interface AdCalls {
  breakStart(): void;
  request(): void;
  play(): void;
  playing(): void;
  ended(): void;
  error(code: string, message?: string): void;
  breakEnd(): void;
}

export interface Monitor {
  /** The id of the current view (null before the first one starts or when not sampled). */
  readonly viewId: string | null;
  /** A new video in the same player: the current view ends (`videochange`) and the next starts with this metadata. */
  update(metadata: ViewMetadata): void;
  readonly ad: AdCalls;
  /** An error the application saw (a business error such as a geo-block, say). */
  error(code: string, options?: { message?: string; fatal?: boolean; business?: boolean }): void;
  /** Ends the view (`viewend`), sends what is queued and stops watching. */
  destroy(): void;
}

/** A rendition: what is on screen, or one the player could choose. */
export interface Rendition {
  readonly bitrate_bps: number;
  readonly width?: number;
  readonly height?: number;
  readonly codec?: string;
  readonly fps?: number;
}

export interface RequestReport {
  readonly kind: 'manifest' | 'media' | 'other';
  /** Full URL; the SDK sends only its host. */
  readonly url: string;
  /** false for a request that failed (network error, 4xx, 5xx). */
  readonly ok: boolean;
  readonly status?: number;
  readonly bytes?: number;
  readonly duration_ms?: number;
  readonly ttfb_ms?: number;
  readonly cdn?: string;
}

export interface PlayerError {
  readonly code: string;
  readonly message?: string;
  readonly fatal: boolean;
  readonly business?: boolean;
}

/** What an adapter tells the core; every call is optional to make. */
export interface AdapterSink {
  /** The renditions the player may play; the core matches the frame on screen (`resize`) against them. */
  renditions(list: readonly Rendition[]): void;
  /** The rendition on screen now (only where the player knows what is shown, not the ABR decision). */
  rendition(rendition: Rendition): void;
  request(report: RequestReport): void;
  /** The player is about to move the playhead itself (gap jump, nudge, live catch-up): the next seeking/seeked is not a viewer seek. */
  internalSeek(): void;
  error(error: PlayerError): void;
  cdn(name: string): void;
  /**
   * The player loads a new source (its manifest URL): a view playing another source ends
   * (`videochange`). For players on MediaSource, whose `<video>` shows only `blob:` URLs.
   */
  source?(url: string): void;
}

export interface PlayerAdapter {
  /** Player software and version, sent as `player_name` / `player_version`. */
  readonly name: string;
  readonly version?: string;
  /** Starts listening; returns what stops it. Called once by `monitor()`. */
  attach(video: HTMLVideoElement, sink: AdapterSink): () => void;
}
