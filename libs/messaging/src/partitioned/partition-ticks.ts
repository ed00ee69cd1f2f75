import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { ProcessorLogger } from './processor-options';

/** Header that marks control messages (ticks) on data subjects. */
export const CONTROL_HEADER = 'Sightline-Control';

/**
 * Ticks carry partition time through a quiet partition so that timers fire: a control message
 * on the partition's tick subject, at most one per interval of wall time (de-duplicated by id, so
 * several instances or a restart publish one).
 */
export function publishTick(js: JetStreamClient, subject: string, intervalMs: number, wallClock: number, logger: ProcessorLogger): void {
  const headers = natsHeaders();
  headers.set(CONTROL_HEADER, 'tick');
  js.publish(subject, new Uint8Array(0), { msgID: `tick:${subject}:${Math.floor(wallClock / intervalMs)}`, headers }).catch((error: unknown) =>
    logger.warn({ err: error, subject }, 'tick not published'),
  );
}
