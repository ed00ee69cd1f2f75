import * as qoeScore from '@sightline/qoe-score';
import { activityOf, type ActivityCursor } from './activity';
import { forgetView, scoreSnapshot, viewKey } from './view-scoring';
import { SCRIPTED_FLEET, snapshotsOf } from './scripted-fleet.fixture';

// The real scores, counted: the step must score each snapshot once (scoreView's own call is not counted).
jest.mock('@sightline/qoe-score', () => {
  const actual = jest.requireActual<typeof import('@sightline/qoe-score')>('@sightline/qoe-score');
  return { ...actual, scoresOf: jest.fn(actual.scoresOf) };
});

const HOUR = 3_600_000;

describe('the view stage step', () => {
  const snapshots = snapshotsOf(SCRIPTED_FLEET[0]!);

  it('scores every snapshot, live then final, and gives the activity activityOf gives', () => {
    let cursor: ActivityCursor | undefined;
    let reference: ActivityCursor | undefined;
    snapshots.forEach((snapshot, i) => {
      const step = scoreSnapshot(cursor, snapshot, 1000 * i, 2 * HOUR);
      const expected = activityOf(reference, snapshot);
      expect(step.score).toEqual(qoeScore.scoreView(snapshot));
      expect(step.score!.kind).toBe(snapshot.status === 'completed' ? 'final' : 'live');
      expect(step.activity ?? null).toEqual(expected.activity);
      expect(step.state).toEqual(expected.cursor);
      cursor = step.state;
      reference = expected.cursor;
    });
  });

  it('scores a completed view once: its activity carries the score it publishes', () => {
    const scoresOf = jest.mocked(qoeScore.scoresOf);
    scoresOf.mockClear();
    let cursor: ActivityCursor | undefined;
    const steps = snapshots.map((snapshot) => {
      const step = scoreSnapshot(cursor, snapshot, 0, HOUR);
      cursor = step.state;
      return step;
    });
    const ended = steps.find((s) => s.activity?.ended)!;
    expect(ended.activity!.scores).toEqual({ ...ended.score!.scores, score_version: ended.score!.score_version });
    expect(scoresOf).not.toHaveBeenCalled();
    // Without scores at hand, activityOf scores the completed snapshot itself.
    activityOf(steps.at(-2)!.state, snapshots.at(-1)!);
    expect(scoresOf).toHaveBeenCalledTimes(1);
  });

  it('remembers the view for the retention after each snapshot, also one that adds nothing, then forgets it', () => {
    const first = scoreSnapshot(undefined, snapshots[1]!, 5000, HOUR);
    expect(first.timer).toBe(5000 + HOUR);
    const repeat = scoreSnapshot(first.state, snapshots[1]!, 9000, HOUR);
    expect(repeat.activity).toBeUndefined();
    expect(repeat.score).toBeDefined();
    expect(repeat.state).toBe(first.state);
    expect(repeat.timer).toBe(9000 + HOUR);
    expect(forgetView()).toEqual({ state: undefined, timer: undefined });
  });

  it('keys a view by property and view id', () => {
    expect(viewKey(snapshots[0]!)).toBe('prop/A');
  });
});
