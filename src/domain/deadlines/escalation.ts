import type { Services } from '../../core/services.js';
import type { Prisma } from '../../db/generated/client.js';
import { enqueue, type OutboxItem } from '../../delivery/outbox.js';
import type { Role } from '../../db/generated/enums.js';
import { chatsAndLocales, holdersAbove, holdersOf, SUPERVISOR_ROLES } from './recipients.js';
import { digestMessage, toView, type LateItem } from './render.js';
import { notifyUnits } from './service.js';
import { currentReminder, local, morningOf, overdueAt } from './time.js';

type Tx = Prisma.TransactionClient;

/** Claims a piece of work inside the transaction that does it: another process gets false. */
async function claim(tx: Tx, key: string): Promise<boolean> {
  const res = await tx.jobMark.createMany({ data: [{ key }], skipDuplicates: true });
  return res.count === 1;
}

async function done(svc: Services, key: string): Promise<boolean> {
  return (await svc.db.jobMark.findUnique({ where: { key } })) !== null;
}

/** Runs one deadline's work; a failure is logged and does not hold up the other deadlines. */
async function guarded(svc: Services, what: string, deadlineId: number, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    svc.log.error({ err, deadlineId }, `deadline ${what} failed`);
    return 0;
  }
}

async function unreportedUnits(tx: Tx, deadlineId: number) {
  const rows = await tx.deadlineUnit.findMany({
    where: { deadlineId, reportedAt: null },
    select: { unit: { select: { id: true, code: true, name: true } } },
  });
  return rows.map((r) => r.unit);
}

/** The reminder due now for each open deadline, to the secretaries of units that have not reported. */
export async function sendReminders(svc: Services): Promise<number> {
  const now = svc.clock.now();
  const zone = svc.clock.zone;
  const open = await svc.db.deadline.findMany({ where: { closedAt: null, dueAt: { gt: now.toJSDate() } } });
  let queued = 0;
  for (const d of open) {
    const day = currentReminder(
      { dueAt: local(d.dueAt, zone), createdAt: local(d.createdAt, zone), remindDays: d.remindDays as number[] },
      now,
      svc.config.REMIND_AT,
    );
    if (day === null) continue;
    const key = `deadline:${d.id}:d-${day}`;
    if (await done(svc, key)) continue;
    queued += await guarded(svc, 'reminder', d.id, () =>
      svc.db.$transaction(
        async (tx) => {
          if (!(await claim(tx, key))) return 0;
          return notifyUnits(tx, toView(d, zone), await unreportedUnits(tx, d.id), `d-${day}`, now);
        },
        { timeout: 60_000 },
      ),
    );
  }
  return queued;
}

/** Once, the morning after the due date: late units' secretaries are told they are overdue. */
export async function sendOverdueNotices(svc: Services): Promise<number> {
  const now = svc.clock.now();
  const zone = svc.clock.zone;
  // A month back is plenty to catch up after downtime; older deadlines only feed the digest.
  const recent = await svc.db.deadline.findMany({
    where: { closedAt: null, dueAt: { lt: now.toJSDate(), gt: now.minus({ days: 30 }).toJSDate() } },
  });
  let queued = 0;
  for (const d of recent) {
    if (now < overdueAt(local(d.dueAt, zone), svc.config.REMIND_AT)) continue;
    const key = `deadline:${d.id}:overdue`;
    if (await done(svc, key)) continue;
    queued += await guarded(svc, 'overdue notice', d.id, () =>
      svc.db.$transaction(
        async (tx) => {
          if (!(await claim(tx, key))) return 0;
          return notifyUnits(tx, toView(d, zone), await unreportedUnits(tx, d.id), 'overdue', now);
        },
        { timeout: 60_000 },
      ),
    );
  }
  return queued;
}

/**
 * Each morning, one message per supervisor (`phu_trach` of the unit or above) and creator listing
 * the late units under them, if there are any.
 */
export async function sendLateDigests(svc: Services, roles: readonly Role[] = SUPERVISOR_ROLES): Promise<number> {
  const now = svc.clock.now();
  if (now < morningOf(now, svc.config.REMIND_AT)) return 0;
  const date = now.toFormat('yyyy-MM-dd');
  const key = `deadlines:digest:${date}`;
  if (await done(svc, key)) return 0;
  const zone = svc.clock.zone;
  const n = await svc.db.$transaction(
    async (tx) => {
      if (!(await claim(tx, key))) return 0;
      const late = await tx.deadlineUnit.findMany({
        where: { reportedAt: null, deadline: { closedAt: null, dueAt: { lt: now.toJSDate() } } },
        include: { deadline: true, unit: { select: { id: true, code: true, name: true } } },
        orderBy: [{ deadline: { dueAt: 'asc' } }, { deadlineId: 'asc' }],
      });
      if (late.length === 0) return 0;
      const unitIds = [...new Set(late.map((l) => l.unitId))];
      const supervisors = await holdersAbove(tx, unitIds, roles);
      const secretaries = await holdersOf(tx, unitIds);
      const perPerson = new Map<number, LateItem[]>();
      for (const l of late) {
        const item: LateItem = {
          deadline: toView(l.deadline, zone),
          unit: l.unit,
          secretaries: (secretaries.get(l.unitId) ?? []).map((s) => ({ fullName: s.fullName, phone: s.phone, role: s.role })),
        };
        // The late unit's own secretaries get the overdue notice itself, not a list about their unit.
        const own = new Set((secretaries.get(l.unitId) ?? []).map((s) => s.personId));
        const people = new Set((supervisors.get(l.unitId) ?? []).filter((p) => !own.has(p)));
        if (l.deadline.createdById) people.add(l.deadline.createdById);
        for (const p of people) perPerson.set(p, [...(perPerson.get(p) ?? []), item]);
      }
      const reach = await chatsAndLocales(tx, [...perPerson.keys()]);
      const items: OutboxItem[] = [];
      for (const [personId, list] of perPerson) {
        const r = reach.get(personId);
        if (!r) continue;
        const payload = digestMessage(r.locale, list, now);
        for (const chat of r.chatIds)
          items.push({ chatIdentityId: chat, dedupeKey: `deadlines:digest:${date}:person:${personId}:chat:${chat}`, payload });
      }
      return enqueue(tx, items);
    },
    { timeout: 60_000 },
  );
  return n;
}
