import { calendarToken, calendarUrl, revokeCalendarToken } from '../../src/domain/schedule/prefs.js';
import { audit } from '../../src/domain/audit.js';
import type { CommandContext } from '../types.js';
import { actorOf } from './common.js';

function linkMessage(ctx: CommandContext, token: string) {
  return {
    text: ctx.t('schedule:ics.link', { url: calendarUrl(ctx.svc.config, token) }),
    buttons: [[{ text: ctx.t('schedule:ics.renew'), data: 'sch:ics:new' }, { text: ctx.t('schedule:ics.revoke'), data: 'sch:ics:off' }]],
  };
}

/** /lich ics: the person's private calendar link (created on first use). */
export async function calendarLink(ctx: CommandContext): Promise<void> {
  const token = await calendarToken(ctx.svc.db, ctx.svc.clock, ctx.person!.id);
  await ctx.reply.send(linkMessage(ctx, token));
}

/** Buttons under the link: a new secret (the old link stops working), or none at all. */
export async function calendarButton(ctx: CommandContext, action: string | undefined): Promise<void> {
  const personId = ctx.person!.id;
  if (action === 'new') {
    const token = await calendarToken(ctx.svc.db, ctx.svc.clock, personId, true);
    await audit(ctx.svc.db, { ...actorFields(ctx), action: 'schedule.ics.renew', target: `person:${personId}` });
    await ctx.reply.notify();
    return ctx.reply.edit(linkMessage(ctx, token));
  }
  const revoked = await revokeCalendarToken(ctx.svc.db, personId);
  if (revoked) await audit(ctx.svc.db, { ...actorFields(ctx), action: 'schedule.ics.revoke', target: `person:${personId}` });
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t(revoked ? 'schedule:ics.revoked' : 'schedule:ics.nothing_to_revoke') });
}

function actorFields(ctx: CommandContext) {
  const a = actorOf(ctx);
  return { actorId: a.id, actor: a.name };
}
