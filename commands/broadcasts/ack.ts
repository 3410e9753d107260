import { DateTime } from 'luxon';
import { formatDateTime } from '../../src/core/format.js';
import { acknowledge } from '../../src/domain/broadcasts/ack.js';
import { messageKey } from '../../src/domain/broadcasts/queue.js';
import type { CommandContext } from '../types.js';

/** "✅ Đã nhận" (bc:rcv:<id>, or bc:rcv:<id>:r on the follow-up). */
export async function receive(ctx: CommandContext, [idArg, flag]: string[]): Promise<void> {
  const { svc, t } = ctx;
  const id = Number(idArg);
  const outcome = await acknowledge(svc.db, svc.clock, id, ctx.person!.id);
  if (outcome === 'unknown' || outcome === 'not_requested') return ctx.reply.notify(t('core:error.stale_button'));
  if (outcome === 'not_recipient') return ctx.reply.notify(t('broadcasts:ack.not_recipient'));
  await ctx.reply.notify(t(outcome === 'acked' ? 'broadcasts:ack.thanks' : 'broadcasts:ack.already'));
  // In a group the button stays for the others; in a private chat it gives way to a note.
  if (ctx.chat.isGroup) return;
  const sent = await svc.db.outboxMessage.findUnique({ where: { dedupeKey: messageKey(id, ctx.chat.id, flag === 'r') }, select: { payload: true } });
  const text = (sent?.payload as { text?: string } | undefined)?.text;
  if (!text) return;
  const row = await svc.db.broadcastRecipient.findFirst({ where: { broadcastId: id, personId: ctx.person!.id, ackedAt: { not: null } } });
  const at = DateTime.fromJSDate(row?.ackedAt ?? svc.clock.now().toJSDate(), { zone: svc.clock.zone });
  await ctx.reply.edit({ text: `${text}\n\n${t('broadcasts:ack.done', { when: formatDateTime(at, ctx.locale) })}` });
}
