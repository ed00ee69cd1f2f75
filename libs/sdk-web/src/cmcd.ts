/**
 * CMCD for players the integrator does not control: configuration that makes hls.js (1.6+) and
 * dash.js (5.1+) send CMCD v2 event-mode reports to ingest's `POST /v1/cmcd`, where each report
 * becomes an event of the view named by `sid` (apps/ingest/src/cmcd, docs/ingest.md).
 *
 *   new Hls({ ...cmcdConfigForHls({ endpoint, key, contentId, sessionId }) })
 *   player.updateSettings(cmcdSettingsForDash({ endpoint, key, contentId, sessionId }))
 *
 * What is sent: play-state changes (`e=ps`: starting, playing, seeking, rebuffering, paused,
 * ended, fatal error), errors (`e=e`) and a time-interval report (`e=t`, a heartbeat that keeps
 * the view open well inside ingest's 60 s completion silence), each with the bitrate (`br`), buffer
 * (`bl`), stream type, content id and the report's `sn` and `ts`. Neither hls.js 1.7 nor dash.js
 * 5.2 puts the playhead (`pt`) on event reports; given the element (`video`), the hls.js config
 * adds it to each report as it is sent, and so does `cmcdPlayheadForDash` for dash.js (a view
 * without it reads as stalled at 0 where the sessionizer infers stalls from the playhead).
 *
 *   player.addRequestInterceptor(cmcdPlayheadForDash(options, video))
 * Response-received (`rr`) and bitrate-change (`bc`) reports are not sent: ingest maps a report
 * by its `sta`, so each would repeat the play state as another event. Request mode (CMCD on the
 * media requests, for the CDN) stays off: the media URLs are left as they are.
 */

export interface CmcdOptions {
  /** Base URL of ingest, e.g. `https://beacons.example.com`. */
  readonly endpoint: string;
  /** The property's beacon key. */
  readonly key: string;
  /** The video (`cid`), sent as the view's `video_id`. */
  readonly contentId?: string;
  /** The view (`sid`); a new random id when absent. One per playback: give a new one for a new video. */
  readonly sessionId?: string;
  /** The element the player plays into (hls.js): its playhead goes on each report as `pt`. */
  readonly video?: { readonly currentTime: number };
  /** Seconds between time-interval reports (default 10). */
  readonly intervalSeconds?: number;
}

/** The CMCD v2 keys an event report carries (ingest reads sid, sn, ts, e, sta, pt, br, ec, cid, st, ltc). */
export const CMCD_EVENT_KEYS = ['br', 'bl', 'cid', 'e', 'ec', 'ltc', 'msd', 'pr', 'pt', 'sid', 'sn', 'st', 'sta', 'ts', 'v'];

/** Play state, error and time interval (CTA-5004-B event types). */
export const CMCD_EVENTS = ['ps', 'e', 't'];

/** `${endpoint}/v1/cmcd?key=…`. */
export function cmcdUrl(options: CmcdOptions): string {
  return `${options.endpoint.replace(/\/+$/, '')}/v1/cmcd?key=${encodeURIComponent(options.key)}`;
}

function sessionOf(options: CmcdOptions): string {
  return options.sessionId ?? crypto.randomUUID();
}

interface CmcdPost {
  readonly url: string;
  readonly body?: BodyInit;
}

/**
 * Sends a report as a simple CORS request (text/plain: no preflight; kept alive through a page
 * unload). Ingest takes CMCD lines in any content type and answers with the page's origin allowed,
 * so the reporter reads the real status and keeps the reports for the next send on 429 and 5xx.
 */
export async function postCmcd(request: CmcdPost): Promise<{ status: number }> {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      body: typeof request.body === 'string' ? request.body : String(request.body ?? ''),
      headers: { 'Content-Type': 'text/plain' },
      keepalive: true,
      credentials: 'omit',
    });
    return { status: response.status };
  } catch {
    // Offline or refused: 503 makes the reporter keep the reports and send them with the next.
    return { status: 503 };
  }
}

/**
 * Puts the element's playhead (`pt`, ms) on each report line that has none, as it was when the
 * report was first sent: a report sent again after a failure keeps its playhead.
 */
function playheadAdder(video: { readonly currentTime: number }): (body: string) => string {
  const playheads = new Map<string, number>();
  return (body) =>
    body
      .split('\n')
      .map((line) => {
        if (!line.trim() || /(^|,)pt=/.test(line)) return line;
        const sn = /(?:^|,)sn=(\d+)/.exec(line)?.[1] ?? line;
        let pt = playheads.get(sn);
        if (pt === undefined) {
          pt = Math.round(video.currentTime * 1000);
          playheads.set(sn, pt);
          // Bounded: only reports still waiting to be resent need theirs.
          if (playheads.size > 200) playheads.delete(playheads.keys().next().value!);
        }
        return `${line},pt=${pt}`;
      })
      .join('\n');
}

/** An hls.js CMCD loader that adds the element's playhead to each report (`playheadAdder`). */
export function playheadLoader(video: { readonly currentTime: number }, post: (request: CmcdPost) => Promise<{ status: number }> = postCmcd) {
  const add = playheadAdder(video);
  return (request: CmcdPost) => post({ ...request, body: add(typeof request.body === 'string' ? request.body : String(request.body ?? '')) });
}

/** The parts of a dash.js request an interceptor sees. */
interface DashRequest {
  url: string;
  body?: unknown;
}

/**
 * A dash.js request interceptor (`player.addRequestInterceptor(cmcdPlayheadForDash(o, video))`)
 * that adds the element's playhead to the CMCD reports dash.js sends to ingest.
 */
export function cmcdPlayheadForDash(options: CmcdOptions, video: { readonly currentTime: number }) {
  const add = playheadAdder(video);
  const target = cmcdUrl(options);
  return <R extends DashRequest>(request: R): Promise<R> => {
    if (request.url.startsWith(target) && typeof request.body === 'string') request.body = add(request.body);
    return Promise.resolve(request);
  };
}

/** The hls.js config (`new Hls({ ...cmcdConfigForHls(o) })`): CMCD v2 event mode to ingest. */
export function cmcdConfigForHls(options: CmcdOptions) {
  return {
    cmcd: {
      sessionId: sessionOf(options),
      ...(options.contentId ? { contentId: options.contentId } : {}),
      version: 2 as const,
      // No request-mode keys: the media requests are left untouched.
      includeKeys: [] as string[],
      eventTargets: [{ url: cmcdUrl(options), events: CMCD_EVENTS, interval: options.intervalSeconds ?? 10, batchSize: 1, includeKeys: CMCD_EVENT_KEYS }],
      loader: options.video ? playheadLoader(options.video) : postCmcd,
    },
  };
}

/** The dash.js settings (`player.updateSettings(cmcdSettingsForDash(o))`): CMCD v2 event mode to ingest. */
export function cmcdSettingsForDash(options: CmcdOptions) {
  return {
    streaming: {
      cmcd: {
        enabled: true,
        version: 2,
        sid: sessionOf(options),
        ...(options.contentId ? { cid: options.contentId } : {}),
        applyParametersFromMpd: false,
        // Request mode stays off (no keys on the media requests).
        enabledKeys: [] as string[],
        eventTargets: [{ enabled: true, url: cmcdUrl(options), events: CMCD_EVENTS, interval: options.intervalSeconds ?? 10, batchSize: 1, enabledKeys: CMCD_EVENT_KEYS }],
      },
    },
  };
}
