import { jobIdOf } from './job-id';

describe('queue job ids', () => {
  it('are stable, without ":", and differ per channel and transition', () => {
    const id = jobIdOf('anomalies:poor-view/1:demo:view-1:firing:1:ops');
    expect(id).toMatch(/^n-[0-9a-f]{40}$/);
    expect(jobIdOf('anomalies:poor-view/1:demo:view-1:firing:1:ops')).toBe(id);
    expect(jobIdOf('anomalies:poor-view/1:demo:view-1:firing:1:pager')).not.toBe(id);
    expect(jobIdOf('other:ops')).not.toBe(id);
  });
});
