import type { ScoredView, Scores, ViewContext, ViewSnapshot } from '@sightline/contracts';
import { QueryError } from './query-error';

type Client = NonNullable<ViewSnapshot['client']>;

/** What the console keeps of a view: its latest snapshot's figures and dimensions, and its latest score. */
export interface ViewSummary {
  readonly view_id: string;
  readonly property_id: string;
  readonly status: ViewSnapshot['status'];
  readonly revision: number;
  readonly context: ViewContext;
  readonly client?: Client;
  /** Server time of the first snapshot seen (about when the view began), ms. */
  readonly first_received_at: number;
  /** Server time of the latest beacon, ms. */
  readonly last_received_at: number;
  /** Device times of the first and latest event, ms. */
  readonly first_event_at: number;
  readonly last_event_at: number;
  readonly end_reason?: ViewSnapshot['end_reason'];
  readonly metrics: ViewSnapshot['metrics'];
  readonly score: { readonly kind: 'live' | 'final'; readonly revision: number; readonly version: string; readonly scores: Scores } | null;
}

/** A view's value of an aggregates dimension, as the scorer names it (docs/aggregates.md#cohorts). */
export function viewCohortValue(view: Pick<ViewSummary, 'context' | 'client'>, dimension: string): string {
  const { context: c, client } = view;
  const unknown = (v: string | number | undefined) => (v === undefined ? 'unknown' : String(v));
  switch (dimension) {
    case 'all':
      return 'all';
    case 'cdn':
      return unknown(c.cdn);
    case 'asn':
      return unknown(client?.asn);
    case 'country':
      return unknown(client?.country);
    case 'region':
      return client?.region === undefined ? 'unknown' : `${client.country ?? 'unknown'}/${client.region}`;
    case 'device_type':
      return unknown(client?.device_type);
    case 'os':
      return unknown(client?.os);
    case 'browser':
      return unknown(client?.browser);
    case 'player':
      return unknown(c.player_name);
    case 'player_version':
      return c.player_version === undefined ? 'unknown' : `${c.player_name ?? 'unknown'} ${c.player_version}`;
    case 'title':
      return unknown(c.video_title ?? c.video_id);
    case 'stream_type':
      return unknown(c.stream_type);
    default:
      if (dimension.startsWith('custom:')) return unknown(c.custom?.[dimension.slice('custom:'.length)]);
      return dimension
        .split('+')
        .map((part) => viewCohortValue(view, part))
        .join('|');
  }
}

export interface ViewSearch {
  readonly propertyId: string;
  readonly viewerId?: string;
  /** A video id or title, exactly. */
  readonly video?: string;
  readonly cohort?: { readonly dimension: string; readonly value: string };
  /** Views active in [from, to): begun before `to`, last heard of at or after `from`. */
  readonly from: number;
  readonly to: number;
  readonly status?: 'active' | 'completed';
  /** `worst`: lowest overall score first (failures, then the rest; unscored last); `recent`: latest beacon first. */
  readonly sort: 'worst' | 'recent';
  readonly limit: number;
}

const overallOf = (v: ViewSummary) => v.score?.scores.overall ?? null;

/**
 * The recent views of every property in memory, newest update last; at most `capacity`, the
 * longest quiet dropped first. Snapshots and scores apply by revision, so replays and
 * redeliveries change nothing.
 */
export class ViewIndex {
  private readonly views = new Map<string, ViewSummary>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.views.size;
  }

  /** Applies a snapshot; false when an equal or newer revision was seen. */
  applySnapshot(s: ViewSnapshot): boolean {
    const current = this.views.get(s.view_id);
    if (current && current.revision >= s.revision) return false;
    const next: ViewSummary = {
      view_id: s.view_id,
      property_id: s.property_id,
      status: s.status,
      revision: s.revision,
      context: s.context,
      ...(s.client ? { client: s.client } : {}),
      first_received_at: current?.first_received_at ?? s.last_received_at,
      last_received_at: s.last_received_at,
      first_event_at: s.first_event_at,
      last_event_at: s.last_event_at,
      ...(s.end_reason ? { end_reason: s.end_reason } : {}),
      metrics: s.metrics,
      score: current?.score ?? null,
    };
    this.put(next);
    return true;
  }

  /** Applies a score: a final one replaces a live one, a later revision an earlier. */
  applyScore(scored: ScoredView): boolean {
    const current = this.views.get(scored.view_id);
    if (!current) return false;
    const old = current.score;
    if (old && (old.revision > scored.revision || (old.revision === scored.revision && (old.kind === 'final' || scored.kind === 'live')))) return false;
    this.views.set(scored.view_id, { ...current, score: { kind: scored.kind, revision: scored.revision, version: scored.score_version, scores: scored.scores } });
    return true;
  }

  get(viewId: string): ViewSummary | undefined {
    return this.views.get(viewId);
  }

  /** Views of a property that are still active (not completed), latest first. */
  active(propertyId: string, limit: number): ViewSummary[] {
    const out: ViewSummary[] = [];
    for (const v of [...this.views.values()].reverse()) {
      if (v.property_id === propertyId && v.status === 'active') out.push(v);
      if (out.length >= limit) break;
    }
    return out;
  }

  search(q: ViewSearch): { views: ViewSummary[]; matched: number } {
    if (q.from >= q.to) throw new QueryError('INVALID_RANGE', 'from must be before to', 'from');
    const matches: ViewSummary[] = [];
    for (const v of this.views.values()) {
      if (v.property_id !== q.propertyId) continue;
      if (v.first_received_at >= q.to || v.last_received_at < q.from) continue;
      if (q.status && v.status !== q.status) continue;
      if (q.viewerId !== undefined && v.context.viewer_id !== q.viewerId) continue;
      if (q.video !== undefined && v.context.video_id !== q.video && v.context.video_title !== q.video) continue;
      if (q.cohort && viewCohortValue(v, q.cohort.dimension) !== q.cohort.value) continue;
      matches.push(v);
    }
    if (q.sort === 'recent') matches.sort((a, b) => b.last_received_at - a.last_received_at || a.view_id.localeCompare(b.view_id));
    else {
      matches.sort((a, b) => {
        const x = overallOf(a);
        const y = overallOf(b);
        if (x === null || y === null) return x === y ? b.last_received_at - a.last_received_at : x === null ? 1 : -1;
        return x - y || b.last_received_at - a.last_received_at;
      });
    }
    return { views: matches.slice(0, q.limit), matched: matches.length };
  }

  private put(view: ViewSummary): void {
    this.views.delete(view.view_id);
    this.views.set(view.view_id, view);
    if (this.views.size > this.capacity) this.views.delete(this.views.keys().next().value!);
  }
}
