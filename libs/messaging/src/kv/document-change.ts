/**
 * A change to one document as this instance applies it: `previous` undefined when it is new,
 * `current` undefined when it was deleted. Listeners see every change in revision order, the
 * initial values included, before `WatchedBucket.open` resolves.
 */
export interface DocumentChange<T> {
  readonly id: string;
  readonly previous: T | undefined;
  readonly current: T | undefined;
}

export type DocumentListener<T> = (change: DocumentChange<T>) => void;
