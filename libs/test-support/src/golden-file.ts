import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const workspaceRoot = path.resolve(__dirname, '../../..');

/**
 * Compares a generated JSON document with the copy committed at `relativePath`. With
 * SIGHTLINE_WRITE_DOCS=1 it rewrites the copy instead (`npm run docs`).
 */
export function expectCommittedJson(relativePath: string, generated: unknown): void {
  const file = path.join(workspaceRoot, relativePath);
  const text = `${JSON.stringify(generated, null, 2)}\n`;
  if (process.env.SIGHTLINE_WRITE_DOCS === '1') {
    writeFileSync(file, text);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${relativePath} is missing: run \`npm run docs\` and commit it`);
  }
  if (committed !== text) throw new Error(`${relativePath} is out of date with the code: run \`npm run docs\` and commit it`);
}
