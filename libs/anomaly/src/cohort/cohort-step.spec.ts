import type { Anomaly } from '@sightline/contracts';
import { CohortDetector, DEFAULT_DETECTOR_OPTIONS, type DetectorOptions } from './cohort-detector';
import { cohortDetectorCodec, detectCohortAnomalies } from './cohort-step';
import { twoCdnPanes } from './panes.fixture';

const options: DetectorOptions = { ...DEFAULT_DETECTOR_OPTIONS, persistMs: 10_000 };

/** Runs the steps over `panes` as the stage runtime does, restarting through the codec (a JSON round trip) before pane `restartAt`. */
function stepThrough(restartAt: number): Anomaly[] {
  const codec = cohortDetectorCodec(options);
  let state: CohortDetector | undefined;
  const anomalies: Anomaly[] = [];
  twoCdnPanes(50, 40).forEach(({ pane, now }, i) => {
    if (i === restartAt && state) state = codec.restore(JSON.parse(JSON.stringify(codec.save(state))));
    const step = detectCohortAnomalies(state, pane, now, options);
    state = step.state;
    anomalies.push(...step.anomalies);
  });
  return anomalies;
}

describe('the cohort stage step', () => {
  const direct = CohortDetector.create(options);
  const expected = twoCdnPanes(50, 40).flatMap(({ pane, now }) => direct.onAggregate(pane, now));

  it('publishes what the detector fed directly does: one anomaly on the failing CDN', () => {
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatchObject({ metric: 'playback_failure_rate', probable_cause: { dimension: 'cdn', value: 'fastly' } });
    expect(stepThrough(-1)).toEqual(expected);
  });

  it.each([1, 600, 1439, 1442, 1500, 1790])('gives the same anomalies after a restart through its codec before pane %d', (restartAt) => {
    expect(stepThrough(restartAt)).toEqual(expected);
  });

  it('creates the detector on the first pane and changes it in place after', () => {
    const [first, second] = twoCdnPanes(1);
    const created = detectCohortAnomalies(undefined, first!.pane, first!.now, options);
    expect(created.state).toBeInstanceOf(CohortDetector);
    expect(detectCohortAnomalies(created.state, second!.pane, second!.now, options).state).toBe(created.state);
  });

  it('refuses a saved form that is not a detector of version 1', () => {
    expect(() => cohortDetectorCodec(options).restore({ format: 'other', version: 2 })).toThrow('not a cohort detector state of version 1 (format other, version 2)');
  });
});
