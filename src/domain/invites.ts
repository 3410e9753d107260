import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { Clock } from '../core/clock.js';
import { audit } from './audit.js';

/** 192 random bits, base64url: 32 characters, within Telegram's 64-character deep-link limit. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createInvite(db: Db, clock: Clock, personId: number, ttlDays: number, actor = 'cli'): Promise<string> {
  const token = newToken();
  await db.invite.create({
    data: { personId, tokenHash: hashToken(token), expiresAt: clock.now().plus({ days: ttlDays }).toJSDate() },
  });
  await audit(db, { actor, action: 'invite.create', target: `person:${personId}` });
  return token;
}

export type RedeemResult =
  | { ok: true; personId: number }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Marks the invite used and returns its person. The conditional UPDATE is what makes a token
 * single-use when two chats try it at the same moment: only one of them changes the row.
 */
export async function redeemInvite(db: Db, clock: Clock, token: string, chatKey: string): Promise<RedeemResult> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { ok: false, reason: 'unknown' };
  const tokenHash = hashToken(token);
  const now = clock.now().toJSDate();
  const won = await db.invite.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, usedByChat: chatKey },
  });
  const invite = await db.invite.findUnique({ where: { tokenHash } });
  if (!invite) return { ok: false, reason: 'unknown' };
  if (won.count === 1) return { ok: true, personId: invite.personId };
  return { ok: false, reason: invite.usedAt ? 'used' : 'expired' };
}

export function inviteLink(botUsername: string, token: string): string {
  return `https://t.me/${botUsername}?start=${token}`;
}
