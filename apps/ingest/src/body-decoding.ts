import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { ingestErrors } from './ingest-errors';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/**
 * The request body as bytes, decompressed when `Content-Encoding` says so; the limit applies to
 * the decompressed size too, so a small bomb cannot expand into memory.
 */
export async function decodeBody(body: Buffer | undefined, encoding: string | undefined, limit: number): Promise<Buffer> {
  const raw = body ?? Buffer.alloc(0);
  if (raw.length > limit) throw ingestErrors.error('PAYLOAD_TOO_LARGE', `the body is ${raw.length} bytes; the limit is ${limit}`);
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return raw;
  const decompress = name === 'gzip' ? gunzipAsync : name === 'deflate' ? inflateAsync : undefined;
  if (!decompress) throw ingestErrors.error('UNSUPPORTED_ENCODING', `content encoding "${name}" is not supported: use gzip, deflate or none`);
  try {
    return await decompress(raw, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw ingestErrors.error('PAYLOAD_TOO_LARGE', `the body decompresses to more than ${limit} bytes`);
    }
    throw ingestErrors.error('INVALID_JSON', `the body is not valid ${name} data: ${(error as Error).message}`);
  }
}
