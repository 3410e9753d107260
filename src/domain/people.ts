import type { Tx } from '../db/client.js';
import type { Role } from '../db/generated/enums.js';
import type { Channel } from '../core/messages.js';
import { revokeInvites } from './invites.js';
import { revokeCalendarToken } from './schedule/prefs.js';
import { endAllSessions } from './web/sessions.js';

export interface PersonRole {
  role: Role;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitKind: 'dang_bo' | 'chi_bo';
}

export interface PersonView {
  id: number;
  fullName: string;
  phone: string;
  position: string | null;
  locale: string;
  roles: PersonRole[];
  /** The chat the person last wrote from (src/domain/reach.ts). */
  lastChatId: number | null;
}

/**
 * The person behind a linked chat. A deactivated person reads as nobody: even a chat that somehow
 * still points at them gets the "not linked" answers, never their old powers.
 */
export async function loadPerson(db: Tx, personId: number): Promise<PersonView | null> {
  const p = await db.person.findUnique({
    where: { id: personId },
    include: { roles: { include: { unit: true }, orderBy: { id: 'asc' } } },
  });
  if (!p || p.deactivatedAt) return null;
  return {
    id: p.id,
    fullName: p.fullName,
    phone: p.phone,
    position: p.position,
    locale: p.locale,
    lastChatId: p.lastChatId,
    roles: p.roles.map((r) => ({ role: r.role, unitId: r.unitId, unitCode: r.unit.code, unitName: r.unit.name, unitKind: r.unit.kind })),
  };
}

export function holdsAny(person: PersonView, roles: readonly Role[]): boolean {
  return person.roles.some((r) => roles.includes(r.role));
}

/** Links a chat to a person (re-linking a chat moves it), and reactivates it. */
export async function linkChat(db: Tx, channel: Channel, chatId: string, personId: number, at: Date = new Date()) {
  return db.chatIdentity.upsert({
    where: { channel_chatId: { channel, chatId } },
    create: { channel, chatId, personId, isGroup: false, linkedAt: at },
    update: { personId, active: true, blockReason: null, linkedAt: at },
  });
}

/** "telegram:12345": how chats are named in the audit log. */
export function chatKey(chat: { channel: string; chatId: string }): string {
  return `${chat.channel}:${chat.chatId}`;
}

export interface UnlinkResult {
  /** The chats that were unlinked, as `channel:chatId`. */
  chats: string[];
  /** Queued messages to those chats that will not be sent now. */
  cancelled: number;
}

/**
 * Unlinks a person's private chats (all, or those of one channel): the chat forgets the person,
 * its guided flow is dropped and nothing still queued for it is sent. The person keeps their roles.
 */
export async function unlinkChats(tx: Tx, personId: number, channel?: string): Promise<UnlinkResult> {
  const chats = await tx.chatIdentity.findMany({
    where: { personId, isGroup: false, ...(channel ? { channel } : {}) },
    select: { id: true, channel: true, chatId: true },
    orderBy: { id: 'asc' },
  });
  if (chats.length === 0) return { chats: [], cancelled: 0 };
  const ids = chats.map((c) => c.id);
  await tx.chatIdentity.updateMany({ where: { id: { in: ids } }, data: { personId: null } });
  await tx.chatState.deleteMany({ where: { chatIdentityId: { in: ids } } });
  const cancelled = await tx.outboxMessage.updateMany({
    where: { chatIdentityId: { in: ids }, status: { in: ['pending', 'sending'] } },
    data: { status: 'cancelled', lastError: 'recipient unlinked', lockedUntil: null },
  });
  return { chats: chats.map(chatKey), cancelled: cancelled.count };
}

export interface DeactivationResult extends UnlinkResult {
  /** The roles taken away, for the audit log's "before". */
  roles: { unitCode: string; role: Role }[];
  invitesRevoked: number;
  calendarRevoked: boolean;
  /** Dashboard sessions ended (the person is signed out of every browser). */
  webSessionsEnded: number;
}

/**
 * Takes all access away from a person and keeps the row (reports and the audit log refer to it):
 * every role removed, every chat unlinked (flows cleared, queued messages cancelled), unused invites
 * revoked, the calendar feed link revoked, every dashboard session ended and unused sign-in link
 * voided. Run it inside the caller's transaction.
 */
export async function deactivatePerson(tx: Tx, personId: number, now: Date): Promise<DeactivationResult> {
  const roles = await tx.roleAssignment.findMany({
    where: { personId },
    include: { unit: { select: { code: true } } },
    orderBy: { id: 'asc' },
  });
  await tx.roleAssignment.deleteMany({ where: { personId } });
  const unlinked = await unlinkChats(tx, personId);
  const invitesRevoked = await revokeInvites(tx, personId, now);
  const calendarRevoked = await revokeCalendarToken(tx, personId);
  const webSessionsEnded = await endAllSessions(tx, personId, now);
  await tx.person.updateMany({ where: { id: personId, deactivatedAt: null }, data: { deactivatedAt: now } });
  return {
    ...unlinked,
    roles: roles.map((r) => ({ unitCode: r.unit.code, role: r.role })),
    invitesRevoked,
    calendarRevoked,
    webSessionsEnded,
  };
}
