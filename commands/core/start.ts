import { redeemInvite } from '../../src/domain/invites.js';
import { linkChat, loadPerson } from '../../src/domain/people.js';
import { normalizePhone } from '../../src/domain/phone.js';
import { audit } from '../../src/domain/audit.js';
import { escapeHtml } from '../../src/core/html.js';
import type { CommandContext, Feature } from '../types.js';
import { describePerson } from './toi.js';

async function start(ctx: CommandContext, args: string): Promise<void> {
  const { t, svc, msg } = ctx;
  if (args) {
    const res = await redeemInvite(svc.db, svc.clock, args, `${msg.channel}:${msg.chat.id}`);
    if (!res.ok) return void (await ctx.reply.send({ text: t(`core:start.invite_${res.reason}`) }));
    return linked(ctx, res.personId, 'invite');
  }
  if (ctx.person) {
    return void (await ctx.reply.send({ text: t('core:start.welcome_back', { name: escapeHtml(ctx.person.fullName) }) }));
  }
  await ctx.reply.send({ text: t('core:start.ask_phone'), requestContact: t('core:start.share_phone') });
}

/** A shared contact links the person with that phone, only if it is the sender's own number. */
export async function onContact(ctx: CommandContext): Promise<void> {
  const { t, svc, msg } = ctx;
  const contact = msg.contact!;
  if (!contact.userId || contact.userId !== msg.sender.id) {
    return void (await ctx.reply.send({ text: t('core:start.contact_not_own'), removeKeyboard: true }));
  }
  const phone = normalizePhone(contact.phone);
  const person = phone ? await svc.db.person.findUnique({ where: { phone } }) : null;
  if (!person) return void (await ctx.reply.send({ text: t('core:start.phone_unknown'), removeKeyboard: true }));
  await linked(ctx, person.id, 'contact');
}

async function linked(ctx: CommandContext, personId: number, how: 'invite' | 'contact'): Promise<void> {
  const { svc, msg } = ctx;
  await linkChat(svc.db, msg.channel, msg.chat.id, personId);
  await audit(svc.db, { actorId: personId, actor: `${msg.channel}:${msg.sender.id}`, action: `link.${how}`, target: `person:${personId}` });
  const person = (await loadPerson(svc.db, personId))!;
  ctx.person = person;
  const text = `${ctx.t('core:start.linked', { name: escapeHtml(person.fullName) })}\n\n${describePerson(ctx, person)}\n\n${ctx.t('core:start.next')}`;
  await ctx.reply.send({ text, removeKeyboard: true });
}

export const startFeature: Feature = {
  commands: [{ name: 'start', access: 'anyone', run: start }],
};
