import type { Beacon, Enrichment } from '@sightline/contracts';

const encoder = new TextEncoder();

const isWhitespace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * The batch as `json` (a beacon's JSON object, well-formed UTF-8: see `wellFormedUtf8`) with
 * `"enrichment"` added as its last member, or undefined when the text does not end an object
 * (the caller then serialises the beacon). The beacon schema has no `enrichment` member, so the
 * result has exactly one. The beacon's bytes are copied once, into the result.
 */
export function appendEnrichment(json: Uint8Array, enrichment: Enrichment): Uint8Array | undefined {
  let end = json.length - 1;
  while (end >= 0 && isWhitespace(json[end])) end--;
  if (end < 0 || json[end] !== 0x7d) return undefined;
  const tail = `,"enrichment":${JSON.stringify(enrichment)}}`;
  // A UTF-16 code unit takes at most 3 bytes in UTF-8.
  const batch = new Uint8Array(end + tail.length * 3);
  batch.set(json.subarray(0, end));
  const { written } = encoder.encodeInto(tail, batch.subarray(end));
  return batch.subarray(0, end + written);
}

/**
 * The de-duplication id of a stored batch: the same beacon sent again (a client's retry) gets
 * the same id, whichever instance receives it, so JetStream stores it once.
 */
export function batchMessageId(source: 'beacon' | 'cmcd', propertyId: string, beacon: Beacon): string {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const events = beacon.events;
  for (let i = 0; i < events.length; i++) {
    const seq = events[i]!.seq;
    if (seq < first) first = seq;
    if (seq > last) last = seq;
  }
  return `${source}:${propertyId}:${beacon.view_id}:${first}:${last}:${events.length}`;
}
