import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './errors.js';
import type { Params } from './params.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Merges query-string parameters with a JSON or url-encoded body, like the Bot API does. */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const raw = await readBody(req);
  if (raw.length === 0) return params;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { ...params, ...Object.fromEntries(new URLSearchParams(raw)) };
  if (type === 'multipart/form-data') throw badRequest('multipart/form-data is not supported by the emulator');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw badRequest("can't parse JSON object");
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest("can't parse JSON object");
  return { ...params, ...(body as Params) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'Request Entity Too Large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** HTTP status for an API error code; Telegram uses the same number for both. */
export function httpStatus(code: number): number {
  return Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500;
}
