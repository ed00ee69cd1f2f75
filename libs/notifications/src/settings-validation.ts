import { ChannelSchema, compileValidator, SilenceSchema, type Channel, type Silence } from '@sightline/contracts';

/** Why a channel or silence document was refused: a stable code, the field at fault, and what to fix. */
export interface SettingsIssue {
  readonly code: 'INVALID_CHANNEL' | 'INVALID_SILENCE';
  /** JSON pointer of the field, e.g. `/ends_at`, `/matchers/0/value`; `/` for the whole document. */
  readonly field: string;
  readonly message: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: SettingsIssue };

const channelValidator = compileValidator(ChannelSchema);
const silenceValidator = compileValidator(SilenceSchema);

export interface ChannelDefaults {
  /** URL a PagerDuty channel gets when it names none (the Events API v2 endpoint). */
  readonly pagerDutyUrl: string;
}

/** Checks a channel document: its schema, then what depends on its kind. */
export function parseChannel(value: unknown, defaults: ChannelDefaults): Parsed<Channel> {
  const fail = (field: string, message: string): Parsed<Channel> => ({ ok: false, issue: { code: 'INVALID_CHANNEL', field, message } });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('/', 'a channel is a JSON object');
  const document = { ...(value as Record<string, unknown>) };
  if (document.kind === 'pagerduty' && document.url === undefined) document.url = defaults.pagerDutyUrl;
  const checked = channelValidator.validate(document, 1);
  if (!checked.ok) return fail(checked.issues[0]!.path, `${checked.issues[0]!.path}: ${checked.issues[0]!.message}`);
  const channel = checked.value;
  if (channel.kind === 'pagerduty' && !channel.routing_key) return fail('/routing_key', '/routing_key: a pagerduty channel needs its integration (routing) key');
  if (channel.kind !== 'pagerduty' && channel.routing_key) return fail('/routing_key', `/routing_key: only pagerduty channels have one, this is a ${channel.kind} channel`);
  if (channel.kind !== 'webhook' && channel.secret) return fail('/secret', `/secret: only webhook channels are signed, this is a ${channel.kind} channel`);
  return { ok: true, value: channel };
}

/** Checks a silence document: its schema, `ends_at` after `starts_at`, and that regular expressions compile. */
export function parseSilence(value: unknown): Parsed<Silence> {
  const fail = (field: string, message: string): Parsed<Silence> => ({ ok: false, issue: { code: 'INVALID_SILENCE', field, message } });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('/', 'a silence is a JSON object');
  const checked = silenceValidator.validate(value, 1);
  if (!checked.ok) return fail(checked.issues[0]!.path, `${checked.issues[0]!.path}: ${checked.issues[0]!.message}`);
  const silence = checked.value;
  if (silence.ends_at <= silence.starts_at) return fail('/ends_at', `/ends_at (${silence.ends_at}) must be after /starts_at (${silence.starts_at})`);
  for (const [index, matcher] of silence.matchers.entries()) {
    if (!matcher.regex) continue;
    try {
      new RegExp(`^(?:${matcher.value})$`, 'u');
    } catch (error) {
      return fail(`/matchers/${index}/value`, `/matchers/${index}/value: not a valid regular expression: ${(error as Error).message}`);
    }
  }
  return { ok: true, value: silence };
}
