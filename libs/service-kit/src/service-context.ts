import type { Topology } from '@sightline/contracts';
import type { JetStreamConnection } from '@sightline/messaging';
import type { Logger } from '@sightline/runtime';
import type { Registry } from 'prom-client';

/** A named check `/readyz` runs; it throws (or rejects) when the dependency is not usable. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void> | void;
}

/** What every service module is built from: its configuration and its live dependencies. */
export interface ServiceContext<C> {
  readonly name: string;
  readonly config: C;
  readonly topology: Topology;
  readonly jetstream: JetStreamConnection;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: ReadinessCheck[];
}

/** Injection token of the ServiceContext. */
export const SERVICE_CONTEXT = Symbol('SERVICE_CONTEXT');
