import { RecentAnswers } from './recent-answers';

describe('recent answers', () => {
  it('answers a repeated question from memory and forgets the oldest when full', () => {
    const asked: string[] = [];
    const recent = new RecentAnswers<number>(2);
    const answer = (q: string) => (asked.push(q), q.length);
    expect([recent.get('a', answer), recent.get('bb', answer), recent.get('a', answer)]).toEqual([1, 2, 1]);
    expect(asked).toEqual(['a', 'bb']);
    recent.get('ccc', answer);
    recent.get('a', answer);
    expect(asked).toEqual(['a', 'bb', 'ccc', 'a']);
  });
});
