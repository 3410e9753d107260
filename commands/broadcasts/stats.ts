import { DateTime } from 'luxon';
import { broadcastDetails, listBroadcasts } from '../../src/application/broadcasts/stats.js';
import { formatDateTime } from '../../src/core/format.js';
import { escapeHtml } from '../../src/core/html.js';
import { broadcastButtons as bc } from '../../src/domain/broadcasts/buttons.js';
import { broadcastTitle } from '../../src/domain/broadcasts/compose.js';
import type { BroadcastStatus, PendingUnit } from '../../src/domain/broadcasts/stats.js';
import type { CommandContext, LinkedContext } from '../types.js';
import { showRefusal } from './common.js';

const NAMES_PER_UNIT = 15;
const MAX_CHARS = 3800;

/** /thongke lists the latest broadcasts; /thongke <id> shows one. */
export async function thongke(ctx: LinkedContext, args: string): Promise<void> {
  if (args) {
    const id = Number(args.replace(/^#/, ''));
    if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647)
      return void (await ctx.reply.send({ text: ctx.t('broadcasts:stats.usage') }));
    return showStatus(ctx, id, false);
  }
  const { t } = ctx;
  const res = await listBroadcasts(ctx.svc, ctx.actor);
  if (!res.ok) return showRefusal(ctx, res.refusal);
  const list = res.value;
  if (list.length === 0) return void (await ctx.reply.send({ text: t('broadcasts:stats.none') }));
  const lines = [t('broadcasts:stats.list_title'), ''];
  for (const { broadcast: b, status: s } of list) {
    const ack = b.ackRequested
      ? t('broadcasts:stats.list_ack', { acked: s.acknowledged, people: s.people - s.unlinked })
      : t('broadcasts:stats.list_no_ack');
    lines.push(
      `<b>#${b.id}</b> · ${formatDateTime(when(ctx, b.createdAt), ctx.locale)}\n    ${escapeHtml(broadcastTitle(b.text, b.document?.title ?? null, 70))}\n    ${t('broadcasts:stats.list_sent', { sent: s.sent, recipients: s.recipients })} · ${ack}`,
    );
  }
  const buttons = [];
  for (let i = 0; i < list.length; i += 5) {
    buttons.push(
      list.slice(i, i + 5).map(({ broadcast: b }) => ({ text: `#${b.id}`, data: bc.pack('st', { id: b.id, refresh: undefined }) })),
    );
  }
  await ctx.reply.send({ text: lines.join('\n'), buttons });
}

function when(ctx: CommandContext, d: Date): DateTime {
  return DateTime.fromJSDate(d, { zone: ctx.svc.clock.zone });
}

export async function showStatus(ctx: LinkedContext, id: number, edit: boolean): Promise<void> {
  const { t } = ctx;
  const res = await broadcastDetails(ctx.svc, ctx.actor, id);
  if (!res.ok) return showRefusal(ctx, res.refusal);
  await ctx.reply.notify();
  const { broadcast: b, status: s, pending, audience } = res.value;
  const lines = [
    t('broadcasts:stats.title', { id, when: formatDateTime(when(ctx, b.createdAt), ctx.locale) }),
    `«${escapeHtml(broadcastTitle(b.text, b.document?.title ?? null))}»`,
    t(audience.subtree ? 'broadcasts:stats.audience_subtree' : 'broadcasts:stats.audience', {
      units: audience.unitCodes.join(', '),
      roles: audience.roles.length ? audience.roles.map((r) => t(`core:roles.${r}`)).join(', ') : t('broadcasts:compose.all_roles'),
    }),
    '',
    ...counts(ctx, s, b.ackRequested),
  ];
  if (b.ackRequested) lines.push('', ...pendingLines(ctx, id, pending));
  if (b.remindAt) {
    lines.push(
      '',
      t(b.remindedAt ? 'broadcasts:stats.reminded' : 'broadcasts:stats.remind_at', {
        when: formatDateTime(when(ctx, b.remindedAt ?? b.remindAt), ctx.locale),
      }),
    );
  }
  const msg = { text: lines.join('\n'), buttons: [[{ text: t('broadcasts:stats.refresh'), data: bc.pack('st', { id, refresh: 'r' }) }]] };
  await (edit ? ctx.reply.edit(msg) : ctx.reply.send(msg));
}

function counts(ctx: CommandContext, s: BroadcastStatus, ack: boolean): string[] {
  const { t } = ctx;
  const lines = [
    t('broadcasts:stats.recipients', { recipients: s.recipients, people: s.people - s.unlinked, groups: s.groups }),
    t('broadcasts:stats.queued', { count: s.queued }),
    t('broadcasts:stats.sent', { count: s.sent }),
    t('broadcasts:stats.failed', { count: s.failed }),
    t('broadcasts:stats.blocked', { count: s.blocked }),
    // Out of the people it reached, as the recipients line counts them: the unlinked could not receive it.
    ack ? t('broadcasts:stats.acknowledged', { count: s.acknowledged, people: s.people - s.unlinked }) : t('broadcasts:stats.no_ack'),
  ];
  if (s.unlinked) lines.push(t('broadcasts:stats.unlinked', { count: s.unlinked }));
  return lines;
}

function pendingLines(ctx: CommandContext, id: number, units: PendingUnit[]): string[] {
  const { t } = ctx;
  if (units.length === 0) return [t('broadcasts:stats.all_acknowledged')];
  const lines = [t('broadcasts:stats.pending_title')];
  let size = 0;
  for (const [i, u] of units.entries()) {
    const names = u.people
      .slice(0, NAMES_PER_UNIT)
      .map((p) => escapeHtml(p.name) + (p.state === 'ok' ? '' : ` (${t(`broadcasts:stats.state_${p.state}`)})`));
    const more = u.people.length > NAMES_PER_UNIT ? t('broadcasts:stats.and_more', { count: u.people.length - NAMES_PER_UNIT }) : '';
    const unit = u.code ? `${escapeHtml(u.name ?? '')} (<code>${escapeHtml(u.code)}</code>)` : t('broadcasts:stats.no_unit');
    const line = `• <b>${unit}</b> — ${u.people.length}: ${names.join(', ')}${more}`;
    if (size + line.length > MAX_CHARS) {
      lines.push(t('broadcasts:stats.more_units', { count: units.length - i, id }));
      break;
    }
    size += line.length;
    lines.push(line);
  }
  return lines;
}
