import type { HandlerContext, KeyedState, MessagePosition } from '../handler';

/** The changes one handler call makes; applied only when the call succeeds. */
export interface StagedChanges<S> {
  readonly emits: [subject: string, payload: unknown][];
  stateChanged: boolean;
  state: S | undefined;
  timerChanged: boolean;
  timer: number | undefined;
}

export function stageFor<S>(state: S | undefined, timer: number | undefined): StagedChanges<S> {
  return { emits: [], stateChanged: false, state, timerChanged: false, timer };
}

/** Keyed state access that records into the staged changes (one small object per call). */
class StagedState<S> implements KeyedState<S> {
  constructor(private readonly staged: StagedChanges<S>) {}
  get(): S | undefined {
    return this.staged.state;
  }
  set(value: S): void {
    this.staged.state = value;
    this.staged.stateChanged = true;
  }
  delete(): void {
    this.staged.state = undefined;
    this.staged.stateChanged = true;
  }
  get timer(): number | undefined {
    return this.staged.timer;
  }
  setTimer(at: number): void {
    this.staged.timer = at;
    this.staged.timerChanged = true;
  }
  clearTimer(): void {
    this.staged.timer = undefined;
    this.staged.timerChanged = true;
  }
}

/** The context of one handler call, recording its changes into `staged`. */
class ProcessingContext<S> implements HandlerContext<S> {
  readonly stream: string;
  readonly streamSeq: number;
  readonly subject: string;
  readonly partition: number;

  constructor(
    position: MessagePosition,
    readonly now: number,
    readonly key: string | undefined,
    private readonly staged: StagedChanges<S>,
  ) {
    this.stream = position.stream;
    this.streamSeq = position.streamSeq;
    this.subject = position.subject;
    this.partition = position.partition;
  }

  get state(): KeyedState<S> {
    if (this.key === undefined) throw new Error('this handler is stateless: give the binding a keyOf to use keyed state');
    return new StagedState(this.staged);
  }

  emit(subject: string, payload: unknown): void {
    this.staged.emits.push([subject, payload]);
  }
}

export function processingContext<S>(position: MessagePosition, now: number, key: string | undefined, staged: StagedChanges<S>): HandlerContext<S> {
  return new ProcessingContext(position, now, key, staged);
}
