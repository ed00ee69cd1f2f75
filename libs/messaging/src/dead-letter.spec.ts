import type { JsMsg } from '@nats-io/jetstream';
import { compileValidator } from '@sightline/contracts';
import { deadLetterOf, DeadLetterSchema } from './dead-letter';

function stored(text: string): JsMsg {
  return { subject: 'ns.v1.scores.final.0', info: { stream: 'ns-scores', streamSequence: 42, deliveryCount: 3 }, string: () => text } as unknown as JsMsg;
}

describe('deadLetterOf', () => {
  it('says where the message was, why it was given up, and carries its payload', () => {
    const letter = deadLetterOf(stored('{"not":"a score"}'), { consumer: 'projector-scores', subject: 'ns.v1.dead.projector', reason: 'invalid_payload', error: '/v: Expected 1' });
    expect(letter).toEqual({
      subject: 'ns.v1.dead.projector',
      msgId: 'projector-scores:ns-scores:42:dead',
      payload: {
        v: 1,
        consumer: 'projector-scores',
        stream: 'ns-scores',
        stream_seq: 42,
        subject: 'ns.v1.scores.final.0',
        delivery_count: 3,
        reason: 'invalid_payload',
        error: '/v: Expected 1',
        payload: '{"not":"a score"}',
      },
    });
    expect(compileValidator(DeadLetterSchema).validate(letter.payload).ok).toBe(true);
  });

  it('keeps the first 4000 characters of the error', () => {
    const letter = deadLetterOf(stored('x'), { consumer: 'c', subject: 'd', reason: 'handler_failed', error: 'e'.repeat(5000) });
    expect(letter.payload.error).toHaveLength(4000);
  });
});
