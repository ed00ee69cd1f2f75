import { alertingErrors } from '../alerting-errors';

/**
 * The JSON document of a PUT with the id of its path: INVALID_JSON when the body is not a JSON
 * object, or when it names another id.
 */
export function documentWithId(body: unknown, id: string): Record<string, unknown> {
  let value: unknown = body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      value = JSON.parse(body.toString());
    } catch (error) {
      throw alertingErrors.error('INVALID_JSON', `the body is not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw alertingErrors.error('INVALID_JSON', 'the body must be a JSON object');
  const document = value as Record<string, unknown>;
  if (document.id !== undefined && document.id !== id) {
    throw alertingErrors.error('INVALID_JSON', `the body's id (${String(document.id)}) differs from the path's (${id})`, { field: '/id' });
  }
  return { ...document, id };
}
