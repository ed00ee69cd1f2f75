import type { Channel, Silence, ValidationResult } from '@sightline/contracts';
import { WatchedBucket, type BucketLogger, type DocumentValidator, type JetStreamConnection } from '@sightline/messaging';
import { parseChannel, parseSilence, type ChannelDefaults, type Parsed } from '@sightline/notifications';

/** The checks of @sightline/notifications as a bucket's validator: one issue, at the field at fault. */
function validatorOf<T>(parse: (value: unknown) => Parsed<T>): DocumentValidator<T> {
  return {
    validate(value): ValidationResult<T> {
      const parsed = parse(value);
      if (parsed.ok) return { ok: true, value: parsed.value };
      const { field, message } = parsed.issue;
      return { ok: false, issues: [{ path: field, message: message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message }] };
    },
  };
}

/** Channels in the KV bucket `<ns>-alerting-channels`: where notifications go. */
export function openChannels(connection: JetStreamConnection, namespace: string, defaults: ChannelDefaults, logger: BucketLogger): Promise<WatchedBucket<Channel>> {
  return WatchedBucket.open(connection, { bucket: `${namespace}-alerting-channels`, validator: validatorOf((value) => parseChannel(value, defaults)), logger });
}

/** Silences in the KV bucket `<ns>-alerting-silences`: what holds notifications back. */
export function openSilences(connection: JetStreamConnection, namespace: string, logger: BucketLogger): Promise<WatchedBucket<Silence>> {
  return WatchedBucket.open(connection, { bucket: `${namespace}-alerting-silences`, validator: validatorOf(parseSilence), logger });
}
