import { Controller, Get, Inject } from '@nestjs/common';
import { CONTRACT_VERSION } from '@sightline/contracts';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import type { TSchema } from '@sinclair/typebox';
import { AlertRuleSchema, AlertSchema, AlertsSchema, AnomaliesSchema, BreakdownSchema, OverviewSchema, RulesSchema, SeriesSchema, SessionSchema, TimelineSchema, ViewSchema, ViewsSchema } from './api-schemas';
import type { ConsoleConfig } from './console.config';
import { consoleErrors } from './console-errors';

const plain = (schema: TSchema) => JSON.parse(JSON.stringify(schema)) as unknown;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const error = (codes: string[]) => ({ description: codes.join(', '), content: { 'application/json': { schema: ref('Error') } } });
const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }, required = false) => ({ name, in: 'query', required, description, schema });

const PROPERTY = q('property', 'The property (a token reads only its own)', { type: 'string' }, true);
const RANGE = [
  q('from', 'Range start: ms since the epoch or ISO 8601 (default: an hour before to)'),
  q('to', 'Range end: ms since the epoch or ISO 8601 (default: now)'),
  q('granularity', 'minute (spans up to 24 h) or hour (up to 31 days); default minute up to 6 h, else hour', { type: 'string', enum: ['minute', 'hour'] }),
];
const COHORT = [q('dimension', 'A cohort\'s dimension (default all)'), q('value', 'The cohort\'s value (with dimension)')];
const READ_ERRORS = { '401': error(['UNAUTHORIZED']), '403': error(['PROPERTY_FORBIDDEN']) };
const QUERY_ERRORS = { '400': error(['INVALID_RANGE', 'RANGE_TOO_WIDE', 'UNKNOWN_METRIC', 'UNKNOWN_DIMENSION', 'INVALID_PARAMETER', 'FILTER_NOT_AGGREGATED']) };
const CHANGE_ERRORS = { '401': error(['UNAUTHORIZED']), '403': error(['ADMIN_REQUIRED', 'CSRF_HEADER_REQUIRED']) };
const SECURITY = [{ bearer: [] }, { session: [] }];

/** The OpenAPI 3.1 document of the console's query API, served at GET /v1/openapi.json and committed as docs/openapi-console.json. */
export function consoleOpenApi(version: string): Record<string, unknown> {
  const get = (operationId: string, summary: string, parameters: unknown[], response: string, errors: Record<string, unknown> = { ...QUERY_ERRORS, ...READ_ERRORS }) => ({
    get: { operationId, summary, security: SECURITY, parameters, responses: { '200': ok(summary, response), ...errors } },
  });
  return {
    openapi: '3.1.0',
    info: { title: 'Sightline Console API', version, description: 'Overview, series, breakdowns, views, timelines, anomalies and alerts of a property, live streams of the open minute; the dashboard is built on it (docs/console.md).' },
    servers: [{ url: 'http://127.0.0.1:8087', description: 'npm start' }],
    security: SECURITY,
    paths: {
      '/v1/session': {
        post: {
          operationId: 'signIn',
          summary: 'Exchange a console token for the session cookie (HttpOnly, SameSite=Strict): the login page posts here, so the token never goes in a URL',
          security: [],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } } } },
          responses: { '200': ok('Signed in', 'Session'), '400': error(['INVALID_JSON', 'INVALID_REQUEST']), '401': error(['UNAUTHORIZED']) },
        },
        get: { operationId: 'getSession', summary: 'Who the token or cookie is', responses: { '200': ok('The session', 'Session'), '401': error(['UNAUTHORIZED']) } },
        delete: { operationId: 'signOut', summary: 'Clear the session cookie', security: [], responses: { '204': { description: 'Signed out' } } },
      },
      '/v1/meta': get('getMeta', 'Metrics, dimensions and where the data comes from', [], 'Meta', READ_ERRORS),
      '/v1/properties': get('listProperties', 'The properties this token reads', [], 'Properties', READ_ERRORS),
      '/v1/overview': get('getOverview', 'A range\'s figures beside the period before, and the open minute', [PROPERTY, ...RANGE, ...COHORT], 'Overview'),
      '/v1/series': get('getSeries', 'Metrics per window for all viewers or one cohort', [PROPERTY, q('metric', 'One or more metrics, comma-separated', { type: 'string' }, true), ...RANGE, ...COHORT], 'Series'),
      '/v1/breakdown': get(
        'getBreakdown',
        'The cohorts of a dimension, top N plus other, with sparklines',
        [
          PROPERTY,
          q('dimension', 'cdn, asn, country, region, device_type, os, browser, player, player_version, title, stream_type, custom:<name>, or a combination', { type: 'string' }, true),
          q('sort', 'The metric to rank by (default plays)'),
          q('order', 'desc (default) or asc', { type: 'string', enum: ['desc', 'asc'] }),
          q('limit', 'Rows before other, 1-100 (default 10)', { type: 'integer', minimum: 1, maximum: 100 }),
          q('filter', 'Only within one cohort of another dimension, dimension:value (needs that combination in SCORER_COMBINATIONS)'),
          ...RANGE,
        ],
        'Breakdown',
      ),
      '/v1/views': get(
        'searchViews',
        'Views active in a range, worst first or most recent first',
        [
          PROPERTY,
          q('viewer', 'A viewer id'),
          q('video', 'A video id or title'),
          q('cohort', 'dimension:value, e.g. cdn:fastly'),
          q('status', 'active or completed', { type: 'string', enum: ['active', 'completed'] }),
          q('sort', 'worst (default) or recent', { type: 'string', enum: ['worst', 'recent'] }),
          q('limit', '1-500 (default 50)', { type: 'integer', minimum: 1, maximum: 500 }),
          ...RANGE.slice(0, 2),
        ],
        'Views',
      ),
      '/v1/views/{id}': {
        get: { operationId: 'getView', summary: 'One view: its latest snapshot and score', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': ok('The view', 'View'), '401': error(['UNAUTHORIZED']), '404': error(['NOT_FOUND']) } },
      },
      '/v1/views/{id}/timeline': {
        get: {
          operationId: 'getViewTimeline',
          summary: 'One view\'s events in order, with its startup, playing, stall, seek, pause and ad spans, renditions, errors and score',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': ok('The timeline', 'Timeline'), '401': error(['UNAUTHORIZED']), '404': error(['NOT_FOUND']) },
        },
      },
      '/v1/anomalies': get('listAnomalies', 'Anomalies detected in a range, newest first, with the cohort to blame', [PROPERTY, ...RANGE.slice(0, 2), q('limit', '1-1000 (default 100)')], 'Anomalies'),
      '/v1/alerts': get('listAlerts', 'Every alert\'s latest transition, newest first, with its probable cause', [PROPERTY, q('state', 'firing, resolved or acknowledged', { type: 'string', enum: ['firing', 'resolved', 'acknowledged'] })], 'Alerts', {
        '400': error(['INVALID_PARAMETER']),
        ...READ_ERRORS,
      }),
      '/v1/alerts/{id}/ack': {
        post: {
          operationId: 'acknowledgeAlert',
          summary: 'Acknowledge a firing alert (admin token; with the cookie, the X-Sightline-Console: 1 header)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { by: { type: 'string', minLength: 1, maxLength: 128 } } } } } },
          responses: { '200': ok('The acknowledged alert', 'Alert'), '400': error(['INVALID_JSON', 'INVALID_REQUEST']), ...CHANGE_ERRORS, '404': error(['NOT_FOUND']), '409': error(['NOT_FIRING']) },
        },
      },
      '/v1/rules': get('listRules', 'Alert rules that apply to the token\'s properties', [], 'Rules', READ_ERRORS),
      '/v1/rules/{id}': {
        put: {
          operationId: 'putRule',
          summary: 'Create or replace an alert rule (admin); applied by every alerting instance at once',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('AlertRule') } } },
          responses: { '200': ok('Stored', 'AlertRule'), '400': error(['INVALID_JSON', 'INVALID_REQUEST', 'INVALID_RULE']), ...CHANGE_ERRORS },
        },
        delete: {
          operationId: 'deleteRule',
          summary: 'Remove an alert rule (admin); its alerts resolve',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '204': { description: 'Removed' }, ...CHANGE_ERRORS, '404': error(['NOT_FOUND']) },
        },
      },
      '/v1/live': {
        get: {
          operationId: 'streamLive',
          summary: 'Server-Sent Events: minute (each pane of the open minute), views (every 2 s), anomalies, alerts',
          parameters: [PROPERTY, q('topics', 'Comma-separated: minute, views, anomalies, alerts (default all)')],
          responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '400': error(['INVALID_PARAMETER']), ...READ_ERRORS },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A read token (CONSOLE_READ_TOKENS, scoped to properties) or the admin token (CONSOLE_ADMIN_TOKEN)' },
        session: { type: 'apiKey', in: 'cookie', name: 'sightline_console', description: 'Set by POST /v1/session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', enum: Object.keys(consoleErrors.codes), description: 'Stable error code' },
            message: { type: 'string' },
            parameter: { type: 'string', description: 'The query parameter to fix' },
            issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string', description: 'JSON pointer of the field' }, message: { type: 'string' } } } },
          },
        },
        Overview: plain(OverviewSchema),
        Series: plain(SeriesSchema),
        Breakdown: plain(BreakdownSchema),
        Views: plain(ViewsSchema),
        View: plain(ViewSchema),
        Timeline: plain(TimelineSchema),
        Alerts: plain(AlertsSchema),
        Alert: plain(AlertSchema),
        Anomalies: plain(AnomaliesSchema),
        Rules: plain(RulesSchema),
        AlertRule: plain(AlertRuleSchema),
        Session: plain(SessionSchema),
        Meta: { type: 'object' },
        Properties: { type: 'object', properties: { properties: { type: 'array', items: { type: 'string' } } } },
      },
    },
  };
}

@Controller('v1')
export class OpenApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(SERVICE_CONTEXT) context: ServiceContext<ConsoleConfig>) {
    const doc = consoleOpenApi(CONTRACT_VERSION);
    this.document = { ...doc, servers: [{ url: `http://${context.config.HTTP_HOST}:${context.config.HTTP_PORT}`, description: 'this console' }] };
  }

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.document;
  }
}
