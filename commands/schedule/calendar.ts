import { calendarLink as link, revokeCalendarLink } from '../../src/application/schedule/view.js';
import type { LinkedContext } from '../types.js';
import { sch } from './buttons.js';
import { refusalText } from './common.js';

function linkMessage(ctx: LinkedContext, url: string) {
  return {
    text: ctx.t('schedule:ics.link', { url }),
    buttons: [
      [
        { text: ctx.t('schedule:ics.renew'), data: sch.pack('ics', { op: 'new' }) },
        { text: ctx.t('schedule:ics.revoke'), data: sch.pack('ics', { op: 'off' }) },
      ],
    ],
  };
}

/** /lich ics: the person's private calendar link (created on first use). */
export async function calendarLink(ctx: LinkedContext): Promise<void> {
  const res = await link(ctx.svc, ctx.actor);
  await ctx.reply.send(res.ok ? linkMessage(ctx, res.value.url) : { text: refusalText(ctx, res.refusal) });
}

/** sch:ics:new — a new secret (the old link stops working); sch:ics:off — none at all. */
export async function calendarButton(ctx: LinkedContext, { op }: { op: 'new' | 'off' }): Promise<void> {
  if (op === 'new') {
    const res = await link(ctx.svc, ctx.actor, { renew: true });
    await ctx.reply.notify();
    return ctx.reply.edit(res.ok ? linkMessage(ctx, res.value.url) : { text: refusalText(ctx, res.refusal) });
  }
  const res = await revokeCalendarLink(ctx.svc, ctx.actor);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t(res.ok && res.value.revoked ? 'schedule:ics.revoked' : 'schedule:ics.nothing_to_revoke') });
}
