import { TimerQueue } from './timer-queue';

describe('TimerQueue', () => {
  it('fires due timers in time then key order, once, honouring replacement and clearing', () => {
    const q = new TimerQueue();
    q.set('b', 10);
    q.set('a', 10);
    q.set('c', 5);
    q.set('d', 7);
    q.set('d', 20);
    q.set('e', 1);
    q.clear('e');
    const fired: string[] = [];
    for (let t = q.pollDue(10); t; t = q.pollDue(10)) fired.push(`${t.key}@${t.at}`);
    expect(fired).toEqual(['c@5', 'a@10', 'b@10']);
    expect(q.pollDue(19)).toBeUndefined();
    expect(q.pollDue(20)).toEqual({ key: 'd', at: 20 });
    expect(q.size).toBe(0);
  });
});
