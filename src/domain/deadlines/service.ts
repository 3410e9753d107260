import type { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import type { Prisma } from '../../db/generated/client.js';
import { enqueue, type OutboxItem } from '../../delivery/outbox.js';
import { audit } from '../audit.js';
import { checkLink, checkTitle, DeadlineError, MAX_NOTE } from './input.js';
import { holdersOf } from './recipients.js';
import { noticeMessage, reportedMessage, type CheckinDraft, toView, undoneMessage, type DeadlineView, type UnitRef } from './render.js';
import { DEFAULT_REMIND_DAYS, local } from './time.js';

type Tx = Prisma.TransactionClient;

export interface CreateDeadlineInput {
  title: string;
  dueAt: DateTime;
  unitIds: number[];
  remindDays?: number[];
  docNumber?: string | null;
  link?: string | null;
  createdById?: number | null;
  actor: string;
  /** 'deadline' (default) or 'checkin'. */
  kind?: string;
  /** Send the announcement to the units' secretaries now (default true). */
  announce?: boolean;
}

/**
 * Creates a deadline for some units and, in the same transaction, queues the announcement to each
 * unit's secretaries. Throws DeadlineError for input that must not be saved.
 */
export async function createDeadline(svc: Services, input: CreateDeadlineInput): Promise<{ id: number; announced: number }> {
  const now = svc.clock.now();
  const title = checkTitle(input.title);
  const dueAt = input.dueAt.setZone(svc.clock.zone);
  if (!dueAt.isValid) throw new DeadlineError('bad_date');
  if (dueAt <= now) throw new DeadlineError('past_due');
  const link = input.link ? checkLink(input.link) : null;
  const docNumber = input.docNumber?.trim() || null;
  const remindDays = [...new Set(input.remindDays ?? DEFAULT_REMIND_DAYS)].sort((a, b) => b - a);
  if (remindDays.some((d) => !Number.isInteger(d) || d < 0 || d > 365)) throw new DeadlineError('bad_remind');
  const unitIds = [...new Set(input.unitIds)];
  if (unitIds.length === 0) throw new DeadlineError('no_units');
  const kind = input.kind ?? 'deadline';

  const { id, announced } = await svc.db.$transaction(
    async (tx) => {
      const units = await tx.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, code: true, name: true } });
      if (units.length !== unitIds.length)
        throw new DeadlineError('unknown_unit', { code: unitIds.filter((u) => !units.some((x) => x.id === u)).join(', ') });
      const row = await tx.deadline.create({
        data: {
          kind,
          title,
          dueAt: dueAt.toJSDate(),
          remindDays,
          docNumber,
          link,
          createdById: input.createdById ?? null,
          createdAt: now.toJSDate(),
          units: { createMany: { data: unitIds.map((unitId) => ({ unitId })) } },
        },
      });
      const view = toView(row, svc.clock.zone);
      const announced = input.announce === false ? 0 : await notifyUnits(tx, view, units, 'new', now);
      await audit(tx, {
        actorId: input.createdById ?? null,
        actor: input.actor,
        action: 'deadline.create',
        target: `deadline:${row.id}`,
        details: { title, dueAt: dueAt.toISO(), units: units.map((u) => u.code), kind, announced },
      });
      return { id: row.id, announced };
    },
    { timeout: 60_000 },
  );
  svc.kick();
  return { id, announced };
}

/**
 * Queues a notice to the secretaries each unit has now, one per (deadline, unit, person) on the chat
 * reach picks for them;
 * `tag` names the notice in the dedupe key ("new", "d-3", "overdue"); `kind` picks the text (from the tag
 * unless given: «Nhắc lại ngay» sends the overdue text under its own tag).
 */
export async function notifyUnits(
  tx: Tx,
  d: DeadlineView,
  units: UnitRef[],
  tag: string,
  now: DateTime,
  kind: 'new' | 'overdue' | 'remind' = tag === 'new' ? 'new' : tag === 'overdue' ? 'overdue' : 'remind',
): Promise<number> {
  const holders = await holdersOf(
    tx,
    units.map((u) => u.id),
  );
  const drafts = d.kind === 'checkin' ? await checkinDrafts(tx, d.id, units) : new Map<number, CheckinDraft>();
  const items: OutboxItem[] = [];
  for (const unit of units) {
    for (const h of holders.get(unit.id) ?? []) {
      const payload = noticeMessage(kind, h.locale, d, unit, now, drafts.get(unit.id));
      for (const chat of h.chatIds) {
        items.push({
          chatIdentityId: chat,
          dedupeKey: `deadline:${d.id}:unit:${unit.id}:person:${h.personId}:${tag}:chat:${chat}`,
          payload,
        });
      }
    }
  }
  return enqueue(tx, items);
}

/** For a check-in's deadline: each unit's report draft (answers given out of the questions). */
async function checkinDrafts(tx: Tx, deadlineId: number, units: UnitRef[]): Promise<Map<number, CheckinDraft>> {
  const campaign = await tx.checkinCampaign.findUnique({
    where: { deadlineId },
    select: {
      id: true,
      questionnaire: true,
      reports: { where: { unitId: { in: units.map((u) => u.id) } }, select: { unitId: true, answers: true } },
    },
  });
  if (!campaign) return new Map();
  const total = ((campaign.questionnaire as { questions?: unknown[] } | null)?.questions ?? []).length;
  const answers = new Map(campaign.reports.map((r) => [r.unitId, Object.keys((r.answers ?? {}) as object).length]));
  return new Map(units.map((u) => [u.id, { campaignId: campaign.id, answered: Math.min(answers.get(u.id) ?? 0, total), total }]));
}

export type ReportResult = { ok: true } | { ok: false; reason: 'not_target' | 'already' };

/**
 * Records that a unit has reported. The unit's other secretaries get a confirmation through the
 * outbox; the caller answers the reporter directly.
 */
export async function markReported(
  svc: Services,
  input: { deadlineId: number; unitId: number; personId: number; note?: string | null; actor: string },
): Promise<ReportResult> {
  const now = svc.clock.now();
  const note = input.note?.trim().slice(0, MAX_NOTE) || null;
  const res = await svc.db.$transaction(async (tx): Promise<ReportResult> => {
    const target = await tx.deadlineUnit.findUnique({
      where: { deadlineId_unitId: { deadlineId: input.deadlineId, unitId: input.unitId } },
      include: { deadline: true, unit: { select: { id: true, code: true, name: true } } },
    });
    if (!target) return { ok: false, reason: 'not_target' };
    // Conditional update: of two presses at once, only one records.
    const upd = await tx.deadlineUnit.updateMany({
      where: { id: target.id, reportedAt: null },
      data: { reportedAt: now.toJSDate(), reportedById: input.personId, note },
    });
    if (upd.count === 0) return { ok: false, reason: 'already' };
    const reporter = await tx.person.findUnique({ where: { id: input.personId }, select: { fullName: true } });
    const view = toView(target.deadline, svc.clock.zone);
    const holders = (await holdersOf(tx, [input.unitId])).get(input.unitId) ?? [];
    const items: OutboxItem[] = [];
    for (const h of holders) {
      if (h.personId === input.personId) continue;
      const payload = reportedMessage(h.locale, view, target.unit, { at: now, by: reporter?.fullName ?? null, note });
      for (const chat of h.chatIds) {
        items.push({
          chatIdentityId: chat,
          dedupeKey: `deadline:${view.id}:unit:${input.unitId}:reported:${now.toMillis()}:person:${h.personId}:chat:${chat}`,
          payload,
        });
      }
    }
    await enqueue(tx, items);
    await audit(tx, {
      actorId: input.personId,
      actor: input.actor,
      action: 'deadline.report',
      target: `deadline:${view.id}:unit:${target.unit.code}`,
      ...(note ? { details: { note } } : {}),
    });
    return { ok: true };
  });
  if (res.ok) svc.kick();
  return res;
}

export type UndoResult = { ok: true } | { ok: false; reason: 'not_reported' | 'not_reporter' | 'too_late' };

/** Takes back a report: only its reporter, only on the (Vietnamese) day it was made. */
export async function undoReport(
  svc: Services,
  input: { deadlineId: number; unitId: number; personId: number; actor: string },
): Promise<UndoResult> {
  const now = svc.clock.now();
  const res = await svc.db.$transaction(async (tx): Promise<UndoResult> => {
    const target = await tx.deadlineUnit.findUnique({
      where: { deadlineId_unitId: { deadlineId: input.deadlineId, unitId: input.unitId } },
      include: { deadline: true, unit: { select: { id: true, code: true, name: true } } },
    });
    if (!target?.reportedAt) return { ok: false, reason: 'not_reported' };
    if (target.reportedById !== input.personId) return { ok: false, reason: 'not_reporter' };
    const at = local(target.reportedAt, svc.clock.zone);
    if (!at.hasSame(now, 'day')) return { ok: false, reason: 'too_late' };
    const upd = await tx.deadlineUnit.updateMany({
      where: { id: target.id, reportedAt: target.reportedAt },
      data: { reportedAt: null, reportedById: null, note: null },
    });
    if (upd.count === 0) return { ok: false, reason: 'not_reported' };
    const who = (await tx.person.findUnique({ where: { id: input.personId }, select: { fullName: true } }))?.fullName ?? '';
    const view = toView(target.deadline, svc.clock.zone);
    const items: OutboxItem[] = [];
    for (const h of (await holdersOf(tx, [input.unitId])).get(input.unitId) ?? []) {
      if (h.personId === input.personId) continue;
      const payload = undoneMessage(h.locale, view, target.unit, who);
      for (const chat of h.chatIds) {
        items.push({
          chatIdentityId: chat,
          dedupeKey: `deadline:${view.id}:unit:${input.unitId}:undone:${at.toMillis()}:person:${h.personId}:chat:${chat}`,
          payload,
        });
      }
    }
    await enqueue(tx, items);
    await audit(tx, {
      actorId: input.personId,
      actor: input.actor,
      action: 'deadline.report_undo',
      target: `deadline:${view.id}:unit:${target.unit.code}`,
      details: { reportedAt: at.toISO(), note: target.note },
    });
    return { ok: true };
  });
  if (res.ok) svc.kick();
  return res;
}

/**
 * Adds or replaces the note of a report, by its reporter; the audit row keeps the note before and
 * after. False when there is no such report by this person (or the note is empty).
 */
export async function setReportNote(
  svc: Services,
  input: { deadlineId: number; unitId: number; personId: number; note: string; actor: string },
): Promise<boolean> {
  const note = input.note.trim().slice(0, MAX_NOTE);
  if (!note) return false;
  return svc.db.$transaction(async (tx) => {
    const row = await tx.deadlineUnit.findUnique({
      where: { deadlineId_unitId: { deadlineId: input.deadlineId, unitId: input.unitId } },
      include: { unit: { select: { code: true } } },
    });
    if (!row?.reportedAt || row.reportedById !== input.personId) return false;
    // Conditional on the report read above: an undo in between leaves nothing to annotate.
    const upd = await tx.deadlineUnit.updateMany({
      where: { id: row.id, reportedById: input.personId, reportedAt: row.reportedAt },
      data: { note },
    });
    if (upd.count !== 1) return false;
    await audit(tx, {
      actorId: input.personId,
      actor: input.actor,
      action: 'deadline.report_note',
      target: `deadline:${input.deadlineId}:unit:${row.unit.code}`,
      details: { before: row.note, after: note },
    });
    return true;
  });
}

/** Stops reminders and escalation for a deadline. */
export async function closeDeadline(
  svc: Services,
  input: { deadlineId: number; actorId?: number | null; actor: string },
): Promise<boolean> {
  const now = svc.clock.now();
  return svc.db.$transaction(async (tx) => {
    const upd = await tx.deadline.updateMany({ where: { id: input.deadlineId, closedAt: null }, data: { closedAt: now.toJSDate() } });
    if (upd.count === 0) return false;
    await audit(tx, {
      actorId: input.actorId ?? null,
      actor: input.actor,
      action: 'deadline.close',
      target: `deadline:${input.deadlineId}`,
    });
    return true;
  });
}

export interface ProgressRow {
  unitId: number;
  code: string;
  name: string;
  reportedAt: DateTime | null;
  reportedBy: string | null;
  note: string | null;
  /** Not reported and the due moment has passed. */
  late: boolean;
  /** Reported, but after the due moment. */
  reportedLate: boolean;
}

export interface DeadlineProgress {
  deadline: DeadlineView & { createdById: number | null; closedAt: DateTime | null };
  units: number;
  reported: number;
  late: { code: string; name: string }[];
  rows: ProgressRow[];
}

/** Who has reported, who is late. `unitIds` limits it to some of the target units (a supervisor's). */
export async function deadlineProgress(svc: Services, deadlineId: number, opts: { unitIds?: number[] } = {}): Promise<DeadlineProgress> {
  const zone = svc.clock.zone;
  const now = svc.clock.now();
  const d = await svc.db.deadline.findUnique({
    where: { id: deadlineId },
    include: {
      units: {
        ...(opts.unitIds ? { where: { unitId: { in: opts.unitIds } } } : {}),
        include: { unit: { select: { code: true, name: true } }, reportedBy: { select: { fullName: true } } },
      },
    },
  });
  if (!d) throw new DeadlineError('not_found', { id: deadlineId });
  const view = toView(d, zone);
  const rows: ProgressRow[] = d.units
    .map((u) => {
      const reportedAt = u.reportedAt ? local(u.reportedAt, zone) : null;
      return {
        unitId: u.unitId,
        code: u.unit.code,
        name: u.unit.name,
        reportedAt,
        reportedBy: u.reportedBy?.fullName ?? null,
        note: u.note,
        late: !reportedAt && now > view.dueAt,
        reportedLate: !!reportedAt && reportedAt > view.dueAt,
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  return {
    deadline: { ...view, createdById: d.createdById, closedAt: d.closedAt ? local(d.closedAt, zone) : null },
    units: rows.length,
    reported: rows.filter((r) => r.reportedAt).length,
    late: rows.filter((r) => r.late).map((r) => ({ code: r.code, name: r.name })),
    rows,
  };
}
