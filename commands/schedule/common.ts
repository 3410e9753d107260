import type { DateTime } from 'luxon';
import { parseTime } from '../../src/core/format.js';
import type { Role } from '../../src/db/generated/enums.js';
import { hasRoleFor } from '../../src/domain/org/tree.js';
import type { CommandContext } from '../types.js';

/** Who keeps a unit's schedule: the office, and admins. */
export const EDITORS: readonly Role[] = ['van_phong', 'admin'];

export async function canEdit(ctx: CommandContext, unitId: number): Promise<boolean> {
  return !!ctx.person && (await hasRoleFor(ctx.svc.db, ctx.person.id, unitId, EDITORS));
}

export interface TimeRange {
  start: { hour: number; minute: number };
  end: { hour: number; minute: number } | null;
}

/** "08:00", "8h30", "08:00-10:30", "8:00 – 10:30" → start and optional end (after the start). */
export function parseTimeRange(input: string): TimeRange | null {
  const parts = input.split(/\s*[-–—]\s*|\s+đến\s+|\s+den\s+/i).filter(Boolean);
  if (parts.length === 0 || parts.length > 2) return null;
  const start = parseTime(parts[0]!);
  const end = parts[1] ? parseTime(parts[1]) : null;
  if (!start || (parts[1] && !end)) return null;
  if (end && end.hour * 60 + end.minute <= start.hour * 60 + start.minute) return null;
  return { start, end };
}

export function withTime(day: DateTime, r: TimeRange): { startsAt: DateTime; endsAt: DateTime | null } {
  const d = day.startOf('day');
  return { startsAt: d.set(r.start), endsAt: r.end ? d.set(r.end) : null };
}

/** "-" (or nothing) clears an optional field. */
export function optional(text: string): string {
  const s = text.trim();
  return s === '-' || s === '—' ? '' : s;
}

export function actorOf(ctx: CommandContext): { id: number | null; name: string } {
  return { id: ctx.person?.id ?? null, name: `${ctx.msg.channel}:${ctx.msg.sender.id}` };
}
