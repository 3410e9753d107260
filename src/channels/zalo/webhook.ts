import { createHash, timingSafeEqual } from 'node:crypto';
import { parseZaloUpdate } from './normalize.js';
import type { ZaloUpdate } from './types.js';

export { ZALO_SECRET_HEADER } from './types.js';

/**
 * Whether a webhook request's `X-Bot-Api-Secret-Token` header equals ZALO_WEBHOOK_SECRET, compared
 * in constant time (both sides hashed first, so neither the content nor the length leaks).
 */
export function verifyZaloSecret(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || secret === '') return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(header), digest(secret));
}

/**
 * The update in a webhook body. The platform's docs show it wrapped as `{"ok":true,"result":{…}}`;
 * a bare update is taken too. Null when the body holds no update.
 */
export function parseZaloWebhookBody(body: unknown): ZaloUpdate | null {
  if (typeof body === 'object' && body !== null && 'result' in body) return parseZaloUpdate((body as { result: unknown }).result);
  return parseZaloUpdate(body);
}
