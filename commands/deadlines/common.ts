import type { DateTime } from 'luxon';
import type { Refusal } from '../../src/application/result.js';
import { escapeHtml } from '../../src/core/html.js';
import { plannedReminders } from '../../src/domain/deadlines/time.js';
import type { CommandContext } from '../types.js';

/** A use case's refusal as one message, its values escaped. */
export function refusalText(ctx: CommandContext, r: Refusal): string {
  const params = Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
  return ctx.t(r.key, params);
}

/** "12" → 12; null for anything else. */
export function positiveInt(s: string | undefined): number | null {
  return s && /^\d{1,9}$/.test(s) ? Number(s) : null;
}

/** "24/12, 28/12, 30/12, 31/12, lúc 08:00" for a preview or a details view. */
export function remindersText(ctx: CommandContext, dueAt: DateTime, createdAt: DateTime, remindDays: number[]): string {
  const at = plannedReminders(dueAt, createdAt, remindDays, ctx.svc.config.REMIND_AT);
  const dates = at.length ? at.map((d) => d.toFormat('dd/MM')).join(', ') : ctx.t('deadlines:no_reminders');
  return ctx.t('deadlines:info.remind', { dates, at: ctx.svc.config.REMIND_AT });
}
