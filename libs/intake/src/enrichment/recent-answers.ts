/**
 * The answers to the last `size` questions asked, for look-ups that are costly and asked again
 * and again (user agents, client addresses). The oldest answer goes first when it is full.
 */
export class RecentAnswers<V> {
  private readonly answers = new Map<string, V>();

  constructor(private readonly size: number) {}

  /** The kept answer to `question`, or the one `answer` gives, kept for next time. */
  get(question: string, answer: (question: string) => V): V {
    const known = this.answers.get(question);
    if (known !== undefined) return known;
    const fresh = answer(question);
    if (this.answers.size >= this.size) this.answers.delete(this.answers.keys().next().value as string);
    this.answers.set(question, fresh);
    return fresh;
  }
}
