import type { Db } from './client.js';

/** Error codes of a database that cannot be reached (node's socket errors, PostgreSQL's class 08 and 57P0x, Prisma's P1xxx). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01',
  '57P02',
  '57P03',
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
]);
const UNREACHABLE_TEXT =
  /connection terminated|connection refused|ECONNREFUSED|ECONNRESET|can't reach database|server closed the connection|timed out fetching a new connection|connection is closed|database ?not ?reachable/i;

/** Whether an error says the database could not be reached (rather than that a query was wrong). */
export function looksUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, kind } = e as { code?: unknown; message?: unknown; kind?: unknown };
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof kind === 'string' && /DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(kind)) return true;
    if (typeof message === 'string' && UNREACHABLE_TEXT.test(message)) return true;
  }
  return false;
}

/**
 * Whether a failure is the database's absence, not a bug: either the error says so, or the database
 * does not answer a trivial query right now (within 5 s). Work that failed for this reason is tried
 * again later without counting it as an attempt.
 */
export async function databaseUnavailable(db: Db, err: unknown): Promise<boolean> {
  if (looksUnreachable(err)) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRawUnsafe('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database probe timed out')), 5000);
      }),
    ]);
    return false;
  } catch {
    return true;
  } finally {
    clearTimeout(timer);
  }
}
