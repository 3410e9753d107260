import { randomBytes } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { hashToken } from '../invites.js';

/** A sign-in link works this long after `/web` sent it. */
export const LOGIN_TTL_MINUTES = 10;
/** A session nobody has used for this long is over. */
export const SESSION_IDLE_DAYS = 7;
/** `last_seen_at` is written at most this often, so browsing does not write on every page. */
const TOUCH_EVERY_MINUTES = 5;

/** 256 random bits, base64url (43 characters): for sign-in links and session cookies alike. */
export function newWebToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Stores a new sign-in link for the person (only its hash) and returns the token to put in the link. */
export async function createLoginToken(db: Tx, personId: number, now: DateTime): Promise<string> {
  const token = newWebToken();
  await db.webLoginToken.create({
    data: {
      personId,
      tokenHash: hashToken(token),
      createdAt: now.toJSDate(),
      expiresAt: now.plus({ minutes: LOGIN_TTL_MINUTES }).toJSDate(),
    },
  });
  return token;
}

export type LoginCheck = { ok: true; personId: number } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Is the link still good (without using it up)? For the page that asks to confirm the sign-in. */
export async function checkLoginToken(db: Tx, token: string, now: DateTime): Promise<LoginCheck> {
  if (!TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const row = await db.webLoginToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { person: { select: { deactivatedAt: true } } },
  });
  if (!row || row.person.deactivatedAt) return { ok: false, reason: 'unknown' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now.toJSDate()) return { ok: false, reason: 'expired' };
  return { ok: true, personId: row.personId };
}

/**
 * Uses the link up and opens a session; returns the session token for the cookie. The conditional
 * UPDATE makes the link single-use even when two browsers open it at the same moment.
 */
export async function redeemLoginToken(db: Tx, token: string, now: DateTime): Promise<LoginCheck & { session?: string }> {
  if (!TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const tokenHash = hashToken(token);
  const at = now.toJSDate();
  const won = await db.webLoginToken.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: at }, person: { deactivatedAt: null } },
    data: { usedAt: at },
  });
  if (won.count !== 1) return checkLoginToken(db, token, now).then((c) => (c.ok ? { ok: false, reason: 'used' } : c));
  const row = await db.webLoginToken.findUniqueOrThrow({ where: { tokenHash }, select: { personId: true } });
  const session = newWebToken();
  await db.webSession.create({ data: { personId: row.personId, tokenHash: hashToken(session), createdAt: at, lastSeenAt: at } });
  return { ok: true, personId: row.personId, session };
}

/** The person of a live session (and notes that it was used), or null. */
export async function sessionPerson(
  db: Tx,
  token: string | undefined,
  now: DateTime,
): Promise<{ personId: number; sessionId: number } | null> {
  if (!token || !TOKEN.test(token)) return null;
  const row = await db.webSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { person: { select: { deactivatedAt: true } } },
  });
  if (!row || row.person.deactivatedAt) return null;
  if (row.lastSeenAt <= now.minus({ days: SESSION_IDLE_DAYS }).toJSDate()) {
    await db.webSession.deleteMany({ where: { id: row.id } });
    return null;
  }
  if (row.lastSeenAt <= now.minus({ minutes: TOUCH_EVERY_MINUTES }).toJSDate())
    await db.webSession.updateMany({ where: { id: row.id }, data: { lastSeenAt: now.toJSDate() } });
  return { personId: row.personId, sessionId: row.id };
}

/** "Đăng xuất": the session is gone. */
export async function endSession(db: Tx, sessionId: number): Promise<void> {
  await db.webSession.deleteMany({ where: { id: sessionId } });
}

/** Signs the person out everywhere and voids their unused links (deactivation). Returns the sessions ended. */
export async function endAllSessions(db: Tx, personId: number, now: DateTime | Date): Promise<number> {
  const at = now instanceof Date ? now : now.toJSDate();
  await db.webLoginToken.updateMany({ where: { personId, usedAt: null }, data: { usedAt: at } });
  return (await db.webSession.deleteMany({ where: { personId } })).count;
}
