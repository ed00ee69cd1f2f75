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

const NO_STATE: KeyedState<never> = new Proxy({} as KeyedState<never>, {
  get() {
    throw new Error('this handler is stateless: give the binding a keyOf to use keyed state');
  },
});

/** The context handed to one handler call, recording its changes into `staged`. */
export function processingContext<S>(position: MessagePosition, now: number, key: string | undefined, staged: StagedChanges<S>): HandlerContext<S> {
  const state: KeyedState<S> =
    key === undefined
      ? (NO_STATE as KeyedState<S>)
      : {
          get: () => staged.state,
          set: (value) => {
            staged.state = value;
            staged.stateChanged = true;
          },
          delete: () => {
            staged.state = undefined;
            staged.stateChanged = true;
          },
          get timer() {
            return staged.timer;
          },
          setTimer: (at) => {
            staged.timer = at;
            staged.timerChanged = true;
          },
          clearTimer: () => {
            staged.timer = undefined;
            staged.timerChanged = true;
          },
        };
  return {
    ...position,
    now,
    key,
    state,
    emit: (subject, payload) => {
      staged.emits.push([subject, payload]);
    },
  };
}
