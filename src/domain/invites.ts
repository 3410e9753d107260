import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db/client.js';
import type { Clock } from '../core/clock.js';
import { audit, auditMany } from './audit.js';
import { hashInviteCode, newInviteCode } from './inviteCodes.js';

/** 192 random bits, base64url: 32 characters, within a deep link's 64-character payload limit. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Who created an invite, for the audit row: a name ("cli", "sandbox") or the actor columns. */
export type InviteActor = string | { actorId: number | null; actor: string };

/** A new invite: its link token and its short code (canonical form), both stored only as hashes, and when both stop working. */
export async function createInvite(
  db: Tx,
  clock: Clock,
  personId: number,
  ttlDays: number,
  actor: InviteActor = 'cli',
): Promise<{ token: string; code: string; expiresAt: Date }> {
  const token = newToken();
  const code = await unusedCode(db);
  const expiresAt = clock.now().plus({ days: ttlDays }).toJSDate();
  await db.invite.create({
    data: {
      personId,
      tokenHash: hashToken(token),
      codeHash: hashInviteCode(code),
      expiresAt,
    },
  });
  await audit(db, { ...(typeof actor === 'string' ? { actor } : actor), action: 'invite.create', target: `person:${personId}` });
  return { token, code, expiresAt };
}

/**
 * New invites for many people at once (`invite --all`, a whole bloc): the same rows and audit
 * entries as `createInvite` for each, in a few statements. Codes already taken (or drawn twice) are
 * drawn again before anything is written. In the given order.
 */
export async function createInvites(
  db: Db,
  clock: Clock,
  personIds: number[],
  ttlDays: number,
  actor: InviteActor = 'cli',
): Promise<{ personId: number; token: string; code: string; expiresAt: Date }[]> {
  if (!personIds.length) return [];
  const expiresAt = clock.now().plus({ days: ttlDays }).toJSDate();
  const made = personIds.map((personId) => ({ personId, token: newToken(), code: newInviteCode(), expiresAt }));
  for (;;) {
    const seen = new Set<string>();
    const repeats = made.filter((m) => seen.size === seen.add(m.code).size);
    const hashes = made.map((m) => hashInviteCode(m.code));
    const taken = new Set(
      (await db.$queryRaw<{ code_hash: string }[]>`SELECT code_hash FROM invites WHERE code_hash = ANY(${hashes}::text[])`).map(
        (i) => i.code_hash,
      ),
    );
    const redraw = [...repeats, ...made.filter((m) => taken.has(hashInviteCode(m.code)))];
    if (!redraw.length) break;
    for (const m of redraw) m.code = newInviteCode();
  }
  const who = typeof actor === 'string' ? { actor } : actor;
  await db.$transaction(
    async (tx) => {
      // unnest(arrays): three parameters however many invites. expires_at is UTC without a zone, as Prisma writes it.
      await tx.$executeRaw`
        INSERT INTO invites (person_id, token_hash, code_hash, expires_at)
        SELECT v.person_id, v.token_hash, v.code_hash, ${expiresAt.toISOString().replace('Z', '')}::timestamp(3)
        FROM unnest(${made.map((m) => m.personId)}::int[], ${made.map((m) => hashToken(m.token))}::text[], ${made.map((m) => hashInviteCode(m.code))}::text[])
          AS v(person_id, token_hash, code_hash)`;
      await auditMany(
        tx,
        made.map((m) => ({ ...who, action: 'invite.create', target: `person:${m.personId}` })),
      );
    },
    { timeout: 120_000 },
  );
  return made;
}

/** Codes are short, so a repeat is possible in principle; the unique index would then fail the insert. */
async function unusedCode(db: Tx): Promise<string> {
  for (;;) {
    const code = newInviteCode();
    if (!(await db.invite.findUnique({ where: { codeHash: hashInviteCode(code) }, select: { id: true } }))) return code;
  }
}

export type RedeemResult = { ok: true; personId: number } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'revoked' };

/**
 * Marks the invite used and returns its person. The conditional UPDATE is what makes a token
 * single-use when two chats try it at the same moment: only one of them changes the row. A revoked
 * invite, or one of a deactivated person, is refused as "revoked".
 */
export async function redeemInvite(db: Tx, clock: Clock, token: string, chatKey: string): Promise<RedeemResult> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { ok: false, reason: 'unknown' };
  return redeem(db, clock, { tokenHash: hashToken(token) }, chatKey);
}

/** The same as `redeemInvite`, by the invite's short code (canonical form, see `parseInviteCode`). */
export async function redeemInviteCode(db: Tx, clock: Clock, code: string, chatKey: string): Promise<RedeemResult> {
  return redeem(db, clock, { codeHash: hashInviteCode(code) }, chatKey);
}

async function redeem(db: Tx, clock: Clock, key: { tokenHash: string } | { codeHash: string }, chatKey: string): Promise<RedeemResult> {
  const now = clock.now().toJSDate();
  const won = await db.invite.updateMany({
    where: { ...key, usedAt: null, revokedAt: null, expiresAt: { gt: now }, person: { deactivatedAt: null } },
    data: { usedAt: now, usedByChat: chatKey },
  });
  const invite = await db.invite.findUnique({ where: key, include: { person: { select: { deactivatedAt: true } } } });
  if (!invite) return { ok: false, reason: 'unknown' };
  if (won.count === 1) return { ok: true, personId: invite.personId };
  if (invite.revokedAt || invite.person.deactivatedAt) return { ok: false, reason: 'revoked' };
  return { ok: false, reason: invite.usedAt ? 'used' : 'expired' };
}

/** Revokes the person's invites that could still be redeemed; returns how many. */
export async function revokeInvites(db: Tx, personId: number, now: Date): Promise<number> {
  const res = await db.invite.updateMany({
    where: { personId, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
  });
  return res.count;
}
