import type { ScoredView, ViewActivity, ViewSnapshot } from '@sightline/contracts';
import { scoreView } from '@sightline/qoe-score';
import { activityOf, type ActivityCursor } from './activity';

/** A view after one step of the scorer's view stage: its cursor and timer, and what to publish. */
export interface ViewScoring {
  /** The view's activity cursor; undefined once the view is forgotten. */
  readonly state: ActivityCursor | undefined;
  /** When the view is forgotten, unless another snapshot comes first. */
  readonly timer: number | undefined;
  /** The snapshot's score: `live` while the view plays, `final` once it is complete. */
  readonly score?: ScoredView;
  /** What the view did since its previous snapshot, if anything. */
  readonly activity?: ViewActivity;
}

/** The state key of a view: views are unique per property. */
export function viewKey(view: ViewSnapshot): string {
  return `${view.property_id}/${view.view_id}`;
}

/**
 * A view snapshot at partition time `now`: its score, and its activity since the cursor (scored
 * once: the activity of a completed view carries the same scores). The view is remembered for
 * `retentionMs` after its last snapshot, longer than the sessionizer keeps it.
 */
export function scoreSnapshot(cursor: ActivityCursor | undefined, snapshot: ViewSnapshot, now: number, retentionMs: number): ViewScoring {
  const score = scoreView(snapshot);
  const { activity, cursor: next } = activityOf(cursor, snapshot, score.scores);
  return { state: next, timer: now + retentionMs, score, ...(activity ? { activity } : {}) };
}

/** A view silent for longer than it is remembered: forget it. */
export function forgetView(): ViewScoring {
  return { state: undefined, timer: undefined };
}
