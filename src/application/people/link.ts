import type { Tx } from '../../db/client.js';
import type { Channel } from '../../core/messages.js';
import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { parseInviteCode } from '../../domain/inviteCodes.js';
import { redeemInvite, redeemInviteCode } from '../../domain/invites.js';
import { forgetAttempt, reserveAttempt } from '../../domain/joinAttempts.js';
import { chatKey, linkChat, loadPerson, type PersonView } from '../../domain/people.js';
import { normalizePhone } from '../../domain/phone.js';
import { enqueue } from '../../delivery/outbox.js';
import { t } from '../../i18n.js';
import { ok, refused, type Result } from '../result.js';

/** The private chat asking to be linked, and who is writing in it. */
export interface ChatRef {
  channel: Channel;
  chatId: string;
  senderId: string;
}

/**
 * `/start <token>`, or the invite's short code (alone or after /start): the invite's person, if the
 * invite is still good. Both ways link exactly alike.
 */
export async function linkByInvite(svc: Services, chat: ChatRef, token: string): Promise<Result<PersonView>> {
  const code = parseInviteCode(token);
  if (code) return linkByCode(svc, chat, code);
  const res = await svc.db.$transaction(async (tx) => {
    const redeemed = await redeemInvite(tx, svc.clock, token, chatKey(chat));
    if (!redeemed.ok) return redeemed;
    return { ok: true as const, warned: await link(tx, svc, chat, redeemed.personId, 'invite'), personId: redeemed.personId };
  });
  if (!res.ok) return refused(`core:start.invite_${res.reason}`);
  return finish(svc, res.personId, res.warned);
}

/**
 * The code is tried only while the chat has wrong codes to spare (`reserveAttempt`); a good code
 * gives its try back.
 */
async function linkByCode(svc: Services, chat: ChatRef, code: string): Promise<Result<PersonView>> {
  const now = svc.clock.now();
  const attempt = await reserveAttempt(svc.db, chat, now.toJSDate());
  if (!attempt.ok) {
    const minutes = Math.max(1, Math.ceil((attempt.retryAt.getTime() - now.toMillis()) / 60_000));
    return refused('core:start.code_wait', { minutes });
  }
  const res = await svc.db.$transaction(async (tx) => {
    const redeemed = await redeemInviteCode(tx, svc.clock, code, chatKey(chat));
    if (!redeemed.ok) return redeemed;
    return { ok: true as const, warned: await link(tx, svc, chat, redeemed.personId, 'code'), personId: redeemed.personId };
  });
  if (!res.ok) return refused(`core:start.code_${res.reason}`);
  await forgetAttempt(svc.db, attempt.id);
  return finish(svc, res.personId, res.warned);
}

/**
 * A shared contact, already known to be the sender's own number: links the person with that phone.
 * A deactivated person cannot come back this way (a new import with roles reactivates them).
 */
export async function linkByContact(svc: Services, chat: ChatRef, phoneInput: string): Promise<Result<PersonView>> {
  const phone = normalizePhone(phoneInput);
  const person = phone ? await svc.db.person.findUnique({ where: { phone } }) : null;
  if (!person) return refused('core:start.phone_unknown');
  if (person.deactivatedAt) return refused('core:start.deactivated');
  const warned = await svc.db.$transaction((tx) => link(tx, svc, chat, person.id, 'contact'));
  return finish(svc, person.id, warned);
}

async function finish(svc: Services, personId: number, warned: boolean): Promise<Result<PersonView>> {
  if (warned) svc.kick();
  const person = await loadPerson(svc.db, personId);
  // Deactivated between the check and now: say so rather than greet a person with no access.
  return person ? ok(person) : refused('core:start.deactivated');
}

/**
 * Links the chat and, when the person already has another active private chat, tells every one of
 * those chats (in the same transaction, through the outbox) that a new chat was linked, on which
 * channel and when; the audit log gets `link.second_chat`. Returns whether anyone was warned.
 */
async function link(tx: Tx, svc: Services, chat: ChatRef, personId: number, how: 'invite' | 'code' | 'contact'): Promise<boolean> {
  const now = svc.clock.now();
  const before = await tx.chatIdentity.findUnique({ where: { channel_chatId: { channel: chat.channel, chatId: chat.chatId } } });
  const identity = await linkChat(tx, chat.channel, chat.chatId, personId, now.toJSDate());
  await audit(tx, { actorId: personId, actor: `${chat.channel}:${chat.senderId}`, action: `link.${how}`, target: `person:${personId}` });
  if (before?.personId === personId) return false; // the same chat again: nothing new to tell
  const others = await tx.chatIdentity.findMany({
    where: { personId, active: true, isGroup: false, id: { not: identity.id } },
    select: { id: true, channel: true, chatId: true },
    orderBy: { id: 'asc' },
  });
  if (others.length === 0) return false;
  const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { locale: true } });
  const tr = t(person.locale);
  const text = tr('core:link.second_chat', {
    channel: tr(`core:channels.${chat.channel}`),
    time: now.setZone(svc.config.APP_TIMEZONE).toFormat('dd/MM/yyyy HH:mm'),
  });
  await enqueue(
    tx,
    others.map((o) => ({
      chatIdentityId: o.id,
      dedupeKey: `link:second:chat:${identity.id}:at:${now.toMillis()}:to:${o.id}`,
      payload: { text },
      urgent: true,
    })),
  );
  await audit(tx, {
    actorId: personId,
    actor: `${chat.channel}:${chat.senderId}`,
    action: 'link.second_chat',
    target: `person:${personId}`,
    details: { chat: chatKey(chat), warned: others.map(chatKey) },
  });
  return true;
}
