import { DateTime } from 'luxon';
import { acknowledgeBroadcast } from '../../src/application/broadcasts/ack.js';
import { formatDateTime } from '../../src/core/format.js';
import type { LinkedContext } from '../types.js';
import { showRefusal } from './common.js';

/** "✅ Đã nhận" (bc:rcv:<id>, or bc:rcv:<id>:r on the follow-up). */
export async function receive(ctx: LinkedContext, broadcastId: number, reminder: boolean): Promise<void> {
  const { svc, t } = ctx;
  const res = await acknowledgeBroadcast(svc, ctx.actor, { broadcastId, chatIdentityId: ctx.chat.id, reminder });
  if (!res.ok) return showRefusal(ctx, res.refusal);
  const { outcome, ackedAt, sentText } = res.value;
  await ctx.reply.notify(t(outcome === 'acked' ? 'broadcasts:ack.thanks' : 'broadcasts:ack.already'));
  // In a group the button stays for the others; in a private chat it gives way to a note.
  if (ctx.chat.isGroup || !sentText) return;
  const at = DateTime.fromJSDate(ackedAt, { zone: svc.clock.zone });
  await ctx.reply.edit({ text: `${sentText}\n\n${t('broadcasts:ack.done', { when: formatDateTime(at, ctx.locale) })}` });
}
