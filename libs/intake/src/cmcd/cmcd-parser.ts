/**
 * CMCD (CTA-5004) data as sent in request mode: `key=value` pairs separated by commas, where a
 * value is an integer or decimal, a quoted string, a token (`ot=v`), an inner list
 * (`br=(3200 1500)`, CMCD v2) whose items may carry parameters (`bl=(1900;v 1900;a)`, dash.js:
 * the object type each value is of), or absent for a true boolean (`bs`).
 */
export type CmcdBareItem = number | string;
/** An inner-list item with its parameters (`1900;v` is `{ value: 1900, params: { v: true } }`). */
export interface CmcdParameterisedItem {
  readonly value: CmcdBareItem;
  readonly params: Readonly<Record<string, CmcdBareItem | boolean>>;
}
export type CmcdListItem = CmcdBareItem | CmcdParameterisedItem;
export type CmcdValue = number | string | boolean | CmcdListItem[];
export type CmcdReport = Record<string, CmcdValue>;

const KEY = /^[a-z][a-z0-9-]*$/;

function parseItem(text: string): CmcdBareItem {
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new Error(`unterminated string ${text}`);
    return text.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[A-Za-z*][A-Za-z0-9_.:/%*+-]*$/.test(text)) return text;
  throw new Error(`cannot read value ${text}`);
}

/** An inner-list item: a bare item, then `;key` or `;key=value` parameters. */
function parseListItem(text: string): CmcdListItem {
  const [bare, ...params] = split(text, ';');
  if (bare === undefined) throw new Error(`empty list item ${text}`);
  const value = parseItem(bare);
  if (params.length === 0) return value;
  const parsed: Record<string, CmcdBareItem | boolean> = {};
  for (const param of params) {
    const eq = param.indexOf('=');
    const key = eq < 0 ? param : param.slice(0, eq);
    if (!KEY.test(key)) throw new Error(`invalid parameter "${key}" in ${text}`);
    const raw = eq < 0 ? undefined : param.slice(eq + 1);
    parsed[key] = raw === undefined || raw === '?1' ? true : raw === '?0' ? false : parseItem(raw);
  }
  return { value, params: parsed };
}

/** Splits on `separator` outside quotes and parentheses. */
function split(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted || depth !== 0) throw new Error('unbalanced quotes or parentheses');
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Parses one CMCD string (a query parameter value or a header value); throws with the reason. */
export function parseCmcd(text: string): CmcdReport {
  const report: CmcdReport = {};
  for (const pair of split(text, ',')) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (!KEY.test(key)) throw new Error(`invalid key "${key}"`);
    if (eq < 0) {
      report[key] = true;
      continue;
    }
    const raw = pair.slice(eq + 1).trim();
    if (raw === '?0') report[key] = false;
    else if (raw === '?1') report[key] = true;
    else if (raw.startsWith('(')) {
      if (!raw.endsWith(')')) throw new Error(`unterminated list for ${key}`);
      report[key] = split(raw.slice(1, -1), ' ').map(parseListItem);
    } else report[key] = parseItem(raw);
  }
  return report;
}

/** Request-mode data from the `CMCD=` query parameter and/or the four `CMCD-*` headers, merged. */
export function parseRequestMode(query: string | undefined, headers: (string | undefined)[]): CmcdReport | undefined {
  const parts = [query, ...headers].filter((p): p is string => typeof p === 'string' && p.length > 0);
  if (parts.length === 0) return undefined;
  return Object.assign({}, ...parts.map(parseCmcd)) as CmcdReport;
}

/**
 * Event-mode reports from a request body: a JSON object or array of objects of CMCD keys, or
 * CMCD strings one per line; throws with the reason when the text is neither.
 */
export function parseEventMode(text: string): CmcdReport[] {
  const body = text.trim();
  const reports: CmcdReport[] = [];
  if (body.startsWith('{') || body.startsWith('[')) {
    const parsed = JSON.parse(body) as unknown;
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error('each JSON report must be an object of CMCD keys');
      reports.push(item as CmcdReport);
    }
  } else if (body.length > 0) {
    for (const line of body.split('\n')) if (line.trim()) reports.push(parseCmcd(line.trim()));
  }
  return reports;
}
