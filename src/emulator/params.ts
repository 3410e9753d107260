import { badRequest } from './errors.js';

/**
 * Request parameters as received. JSON bodies carry typed values, while query strings and
 * url-encoded forms carry strings only, so every accessor accepts both like the real Bot API.
 */
export type Params = Record<string, unknown>;

export function optString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw badRequest(`field "${name}" must be of type String`);
}

export function optInt(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badRequest(`field "${name}" must be of type Integer`);
  return n;
}

export function optBool(p: Params, name: string): boolean {
  const v = p[name];
  return v === true || v === 'true' || v === 1 || v === '1';
}

/** Object/array parameters arrive as JSON strings in forms and query strings. */
export function optJson<T>(p: Params, name: string, what = `${name} JSON object`): T | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw badRequest(`can't parse ${what}`);
  }
}

/** Numeric chat ids only: the emulator knows no public @usernames. */
export function requireChatId(p: Params, name = 'chat_id'): number {
  const v = p[name];
  if (v === undefined || v === null || v === '') throw badRequest(`${name} is empty`);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n === 0) throw badRequest('chat not found');
  return n;
}

export function requireMessageId(p: Params, name = 'message_id'): number {
  const id = optInt(p, name);
  if (id === undefined) throw badRequest('message identifier is not specified');
  return id;
}
