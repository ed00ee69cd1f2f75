import { Type } from '@sinclair/typebox';
import { serviceConfigSchema, type ServiceSettings } from '@sightline/service-kit';

export const ConsoleConfigSchema = serviceConfigSchema(8087, {
  CONSOLE_READ_TOKENS: Type.String({
    default: '',
    pattern: '^(\\s*[A-Za-z0-9._~+/-]{16,256}=(\\*|[A-Za-z0-9_-]{1,64}(\\|[A-Za-z0-9_-]{1,64})*)\\s*(,|$))*$',
    description: 'read tokens, comma-separated token=property|property (or token=* for every property); tokens of 16-256 characters',
  }),
  CONSOLE_ADMIN_TOKEN: Type.Optional(
    Type.String({ minLength: 16, maxLength: 256, description: 'token that reads every property and may change things (acknowledge alerts, edit rules); changes are off when unset' }),
  ),
  CONSOLE_VIEWS_HOURS: Type.Number({ exclusiveMinimum: 0, default: 6, description: 'hours of views (snapshots and scores) the console reads into memory at start and keeps' }),
  CONSOLE_VIEWS_MAX: Type.Integer({ minimum: 100, default: 200_000, description: 'views kept in memory at most (the longest quiet dropped first)' }),
  CONSOLE_ANOMALIES_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24, description: 'hours of anomalies kept in memory' }),
  CONSOLE_PANE_HORIZON_MS: Type.Integer({
    minimum: 0,
    default: 420_000,
    description: 'how long after a window ends its panes may still be published (the scorer\'s watermark delay plus allowed lateness): a query of a past range reads no further',
  }),
  SCORER_COMBINATIONS: Type.String({ default: 'cdn+asn,cdn+country', description: 'the scorer\'s combined dimensions (as set for qoe-scorer): breakdowns filtered by another dimension read them' }),
  MONGO_URL: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://\\S+$', description: 'mongodb:// URL of the read models: history older than the streams keep; unset, the console answers from the streams alone' })),
  MONGO_DB: Type.String({ default: 'sightline', pattern: '^[A-Za-z0-9_-]{1,63}$', description: 'database of the read models' }),
  CONSOLE_SECURE_COOKIE: Type.Boolean({ default: false, description: 'mark the session cookie Secure (set behind HTTPS)' }),
});

export type ConsoleConfig = ServiceSettings<typeof ConsoleConfigSchema>;
