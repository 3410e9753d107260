import { linkByContact, linkByInvite, type ChatRef } from '../../src/application/people/link.js';
import type { Result } from '../../src/application/result.js';
import { personActor } from '../../src/application/actor.js';
import type { PersonView } from '../../src/domain/people.js';
import { myReports } from '../../src/application/checkin/reports.js';
import type { Keyboard } from '../../src/core/messages.js';
import { checkinButtons } from '../../src/domain/checkin/buttons.js';
import { canEdit, hasUnsent } from '../../src/domain/checkin/reports.js';
import { openDeadlinesView } from '../deadlines/lists.js';
import type { CommandContext, Feature, LinkedContext } from '../types.js';
import { describePerson } from './toi.js';

const chatOf = (ctx: CommandContext): ChatRef => ({ channel: ctx.msg.channel, chatId: ctx.msg.chat.id, senderId: ctx.msg.sender.id });

async function start(ctx: CommandContext, args: string): Promise<void> {
  const { t } = ctx;
  if (args) return linked(ctx, await linkByInvite(ctx.svc, chatOf(ctx), args), false);
  if (ctx.person) {
    return void (await ctx.reply.send({ text: t('core:start.welcome_back', { name: ctx.person.fullName }) }));
  }
  // Without a contact button (Zalo) the person types the join code of their invite instead.
  if (ctx.reply.lacks?.contactSharing) return void (await ctx.reply.send({ text: t('core:start.ask_code') }));
  await ctx.reply.send({ text: t('core:start.ask_phone'), requestContact: t('core:start.share_phone') });
}

/** A shared contact links the person with that phone, only if it is the sender's own number. */
export async function onContact(ctx: CommandContext): Promise<void> {
  const { t, msg } = ctx;
  const contact = msg.contact!;
  if (!contact.userId || contact.userId !== msg.sender.id) {
    return void (await ctx.reply.send({ text: t('core:start.contact_not_own'), removeKeyboard: true }));
  }
  await linked(ctx, await linkByContact(ctx.svc, chatOf(ctx), contact.phone), true);
}

async function linked(ctx: CommandContext, res: Result<PersonView>, fromContact: boolean): Promise<void> {
  if (!res.ok) {
    const text = ctx.t(res.refusal.key, res.refusal.params ?? {});
    return void (await ctx.reply.send(fromContact ? { text, removeKeyboard: true } : { text }));
  }
  const person = res.value;
  ctx.person = person;
  ctx.actor = personActor(person, `${ctx.msg.channel}:${ctx.msg.sender.id}`);
  const text = `${ctx.t('core:start.linked', { name: person.fullName })}\n\n${describePerson(ctx, person)}\n\n${ctx.t('core:start.next')}`;
  await ctx.reply.send({ text, removeKeyboard: true });
  await welcomeWithOpenWork(ctx as LinkedContext);
}

/**
 * A newly linked person is told at once what their units still owe (deadlines and quarterly
 * reports), with the buttons to act on it, instead of finding out only by typing /hanchot.
 */
async function welcomeWithOpenWork(ctx: LinkedContext): Promise<void> {
  const now = ctx.svc.clock.now();
  const deadlines = await openDeadlinesView(ctx, ctx.t('core:start.open_work'));
  const reports = await myReports(ctx.svc, ctx.actor);
  const toAnswer = (reports.ok ? reports.value : []).filter((l) => canEdit(l, now) && hasUnsent(l.report));
  if (!deadlines && toAnswer.length === 0) return;
  const buttons: Keyboard = [...(deadlines?.buttons ?? [])];
  for (const l of toAnswer) {
    const label = toAnswer.length === 1 ? '' : ` (${l.report.unit.code})`;
    buttons.push([
      {
        text: `${ctx.t('checkin:buttons.start')}${label}`,
        data: checkinButtons.pack('go', { campaign: l.campaign.id, unit: l.report.unit.id }),
      },
    ]);
  }
  await ctx.reply.send({ text: deadlines?.text ?? ctx.t('core:start.open_work'), buttons });
}

export const startFeature: Feature = {
  commands: [{ name: 'start', access: 'anyone', policy: 'people.link', run: start }],
};
