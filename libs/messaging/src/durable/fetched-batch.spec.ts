import type { DeliveryInfo } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Type } from '@sinclair/typebox';
import { compileValidator } from '@sightline/contracts';
import { CONTROL_HEADER } from '../partitioned/partition-ticks';
import { sortBatch, type FetchedMessage } from './fetched-batch';

const validator = compileValidator(Type.Object({ n: Type.Integer({ minimum: 1 }) }));
const encoder = new TextEncoder();
let seq = 0;

function message(data: string | Uint8Array, control = false): FetchedMessage {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const headers = control ? natsHeaders() : undefined;
  headers?.set(CONTROL_HEADER, 'tick');
  const info = { stream: 's', streamSequence: ++seq, deliveryCount: 1, timestampNanos: 1_700_000_000_123 * 1e6, pending: 0 } as DeliveryInfo;
  return { subject: 'ns.v1.x', data: bytes, headers, info, string: () => new TextDecoder().decode(bytes) };
}

describe('sortBatch', () => {
  it('gives valid payloads to the handler in stream order, with their position', () => {
    const first = message('{"n":1}');
    const sorted = sortBatch([first, message('{"n":2}')], validator);
    expect(sorted.deliveries.map((d) => d.value)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(sorted.deliveries[0]).toMatchObject({ subject: 'ns.v1.x', streamSeq: first.info.streamSequence, deliveryCount: 1, storedAt: 1_700_000_000_123 });
    expect(sorted).toMatchObject({ invalid: [], control: 0 });
  });

  it('skips control messages and reports invalid payloads with the reason', () => {
    const notJson = message('{oops');
    const wrong = message('{"n":0}');
    const sorted = sortBatch([message('', true), message('{"n":3}'), notJson, wrong], validator);
    expect(sorted.control).toBe(1);
    expect(sorted.deliveries).toHaveLength(1);
    expect(sorted.invalid.map((i) => i.msg)).toEqual([notJson, wrong]);
    expect(sorted.invalid[0]!.error).toMatch(/^not JSON/);
    expect(sorted.invalid[1]!.error).toMatch(/\/n/);
  });

  it('rejects bytes that are not UTF-8', () => {
    const sorted = sortBatch([message(new Uint8Array([0xff, 0xfe]))], validator);
    expect(sorted.invalid).toHaveLength(1);
    expect(sorted.invalid[0]!.error).toMatch(/^not UTF-8/);
  });
});
