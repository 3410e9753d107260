import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors.js';
import type { Params } from '../params.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Query-string parameters merged with the body, which Zalo accepts as JSON, url-encoded or multipart.
 * Multipart is read with the fetch API's own parser (undici, built into Node), so no form library is
 * needed; an uploaded file stands in as its file name.
 */
export async function readZaloParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const raw = await readBody(req);
  if (raw.length === 0) return params;
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { ...params, ...Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw new ApiError(400, 'Bad Request: cannot parse multipart body');
    }
    for (const [name, value] of form) params[name] = typeof value === 'string' ? value : value.name;
    return params;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'Bad Request: cannot parse JSON body');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'Bad Request: cannot parse JSON body');
  return { ...params, ...(body as Params) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(400, 'Bad Request: body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** What a load balancer in front of the platform answers when the platform is down: no envelope. */
export function writeGatewayError(res: ServerResponse, status: number): void {
  if (res.writableEnded || res.destroyed) return;
  const payload = `<html><body><h1>${status} Gateway error</h1></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
