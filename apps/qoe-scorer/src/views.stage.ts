import { partitionedInput, partitionOf, subjects, ViewSnapshotSchema, type Topology } from '@sightline/contracts';
import { keyedStage, type Emit, type KeyedStage, type StepResult } from '@sightline/messaging';
import { forgetView, scoreSnapshot, viewKey, type ActivityCursor, type ViewScoring } from '@sightline/qoe-aggregates';
import type { StageContext } from './scorer.config';

/** The consumer group (and the name of its state, durables and output ids). */
export const SCORER_VIEWS_GROUP = 'qoe-scorer-views';

function outputsOf(topology: Topology, step: ViewScoring): Emit[] {
  if (!step.score) return [];
  const partition = partitionOf(topology, step.score.view_id);
  const outputs: Emit[] = [{ subject: subjects.score(topology, step.score.kind, partition), payload: step.score }];
  if (step.activity) outputs.push({ subject: subjects.activity(topology, partition), payload: step.activity });
  return outputs;
}

/**
 * Scores every view snapshot (live scores while it plays, final once complete) and says what the
 * view did since its previous snapshot (its activity), keeping an activity cursor per view until
 * the view has been silent for `SCORER_VIEW_STATE_TTL_HOURS`.
 */
export function viewsStage(context: StageContext): KeyedStage<typeof ViewSnapshotSchema, ActivityCursor> {
  const { topology } = context;
  const retentionMs = context.config.SCORER_VIEW_STATE_TTL_HOURS * 3600_000;
  const result = (step: ViewScoring): StepResult<ActivityCursor> => ({ state: step.state, timer: step.timer, outputs: outputsOf(topology, step) });
  return keyedStage({
    name: SCORER_VIEWS_GROUP,
    input: partitionedInput(topology, 'views'),
    schema: ViewSnapshotSchema,
    deadLetterSubject: subjects.deadLetter(topology, SCORER_VIEWS_GROUP),
    keyOf: viewKey,
    step: (cursor, snapshot, ctx) => result(scoreSnapshot(cursor, snapshot, ctx.now, retentionMs)),
    onTimer: () => result(forgetView()),
  });
}
