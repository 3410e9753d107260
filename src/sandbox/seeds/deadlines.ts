import { formatDate, formatTime } from '../../core/format.js';
import type { Services } from '../../core/services.js';
import { createDeadline } from '../../domain/deadlines/service.js';
import { DEFAULT_REMIND_DAYS, overdueAt, plannedReminders } from '../../domain/deadlines/time.js';
import type { Moment } from '../clockPanel.js';
import { demoPersonId } from '../demo.js';

/** Seed 002, IV.1: the units draw up their plan and "báo cáo về Đảng ủy Khối trước ngày 31/12". */
const TITLE =
  'Xây dựng kế hoạch cụ thể hóa Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ Khối, báo cáo về Đảng ủy Khối';

/** The demo deadline "trước 31/12" for every chi bộ, announced by the office; its reminder moments. */
export async function seedDeadline(svc: Services): Promise<Moment[]> {
  const now = svc.clock.now();
  let due = now.set({ month: 12, day: 31 }).endOf('day');
  // On the last days of a year there is nothing left to watch: take next year's 31/12.
  if (due.diff(now, 'days').days < 2) due = due.plus({ years: 1 }).endOf('day');
  const units = await svc.db.unit.findMany({ where: { kind: 'chi_bo' }, select: { id: true }, orderBy: { id: 'asc' } });
  await createDeadline(svc, {
    title: TITLE,
    dueAt: due,
    unitIds: units.map((u) => u.id),
    createdById: await demoPersonId(svc.db, 'van_phong'),
    actor: 'sandbox',
  });
  const remindAt = svc.config.REMIND_AT;
  const reminders = plannedReminders(due, now, DEFAULT_REMIND_DAYS, remindAt);
  return [
    ...reminders.map((at, i) => ({
      id: `deadline-remind-${i}`,
      group: 'deadline-remind',
      key: 'sandbox:clock.remind',
      params: { time: formatTime(at), date: formatDate(at) },
      at,
    })),
    { id: 'deadline-due', key: 'sandbox:clock.due', params: { date: formatDate(due) }, at: due.minus({ minutes: 1 }).startOf('minute') },
    { id: 'deadline-overdue', key: 'sandbox:clock.overdue', at: overdueAt(due, remindAt) },
  ];
}
