import type { DateTime } from 'luxon';
import type { Refusal } from '../../src/application/result.js';
import { plannedReminders } from '../../src/domain/deadlines/time.js';
import type { CommandContext } from '../types.js';

/** A use case's refusal as one message (`t` escapes its values). */
export function refusalText(ctx: CommandContext, r: Refusal): string {
  return ctx.t(r.key, r.params ?? {});
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
