import { DateTime } from 'luxon';
import { formatQuarter } from '../../core/format.js';
import type { Services } from '../../core/services.js';
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../db/generated/client.js';
import type { Role } from '../../db/generated/enums.js';
import { enqueue, type OutboxItem } from '../../delivery/outbox.js';
import { audit } from '../audit.js';
import { createDeadline } from '../deadlines/service.js';
import { holdersOf } from '../deadlines/recipients.js';
import { subtreeIds } from '../org/tree.js';
import { campaignTitle, promptMessage } from './messages.js';
import type { Questionnaire } from './questionnaire.js';

type Tx = Db | Prisma.TransactionClient;

export const DEFAULT_RESPONDERS: readonly Role[] = ['bi_thu', 'pho_bi_thu'];

/** Bad input for a campaign; `key` names a message under `checkin:errors.`, shared by the chat and the CLI. */
export class CheckinError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`checkin: ${key} ${JSON.stringify(params)}`);
  }
}

export interface CampaignView {
  id: number;
  period: string;
  questionnaire: Questionnaire;
  responderRoles: Role[];
  opensAt: DateTime;
  closesAt: DateTime;
  deadlineId: number | null;
}

type CampaignRow = {
  id: number;
  period: string;
  questionnaire: unknown;
  responderRoles: unknown;
  opensAt: Date;
  closesAt: Date;
  deadlineId: number | null;
};

export function toCampaignView(row: CampaignRow, zone: string): CampaignView {
  return {
    id: row.id,
    period: row.period,
    // Validated when the campaign was opened and never changed since.
    questionnaire: row.questionnaire as Questionnaire,
    responderRoles: row.responderRoles as Role[],
    opensAt: DateTime.fromJSDate(row.opensAt, { zone }),
    closesAt: DateTime.fromJSDate(row.closesAt, { zone }),
    deadlineId: row.deadlineId,
  };
}

export async function loadCampaign(svc: Pick<Services, 'db' | 'clock'>, id: number): Promise<CampaignView | null> {
  const row = await svc.db.checkinCampaign.findUnique({ where: { id } });
  return row ? toCampaignView(row, svc.clock.zone) : null;
}

/**
 * The units a campaign targets: the units named, or with `subtree` every chi bộ at or below them.
 */
export async function resolveTargets(db: Db, codes: string[], subtree: boolean): Promise<{ id: number; code: string }[]> {
  const wanted = [...new Set(codes.map((c) => c.trim()).filter(Boolean))];
  if (wanted.length === 0) throw new CheckinError('no_units');
  const units = await db.unit.findMany({ where: { code: { in: wanted } }, select: { id: true, code: true } });
  const unknown = wanted.filter((c) => !units.some((u) => u.code === c));
  if (unknown.length) throw new CheckinError('unknown_unit', { code: unknown.join(', ') });
  if (!subtree) return units.sort((a, b) => a.code.localeCompare(b.code));
  const ids = await subtreeIds(
    db,
    units.map((u) => u.id),
  );
  const cells = await db.unit.findMany({
    where: { id: { in: ids }, kind: 'chi_bo' },
    select: { id: true, code: true },
    orderBy: { code: 'asc' },
  });
  if (cells.length === 0) throw new CheckinError('no_cells', { code: wanted.join(', ') });
  return cells;
}

export interface OpenCampaignInput {
  period: string;
  questionnaire: Questionnaire;
  unitIds: number[];
  responderRoles?: readonly Role[];
  opensAt?: DateTime;
  closesAt: DateTime;
  createdById?: number | null;
  actor: string;
}

/**
 * Opens a campaign: its closing time becomes a deadline (reminders and escalation come from there),
 * one empty report per unit is created, and if the opening time has come the responders are prompted.
 */
export async function openCampaign(
  svc: Services,
  input: OpenCampaignInput,
): Promise<{ id: number; deadlineId: number; units: number; prompted: number }> {
  const now = svc.clock.now();
  if (!formatQuarter(input.period)) throw new CheckinError('bad_period', { period: input.period });
  const opensAt = input.opensAt ?? now;
  if (!input.closesAt.isValid || !opensAt.isValid) throw new CheckinError('bad_date');
  if (input.closesAt <= now) throw new CheckinError('closes_past');
  if (input.closesAt <= opensAt) throw new CheckinError('closes_before_opens');
  const unitIds = [...new Set(input.unitIds)];
  if (unitIds.length === 0) throw new CheckinError('no_units');
  const roles = [...new Set(input.responderRoles ?? DEFAULT_RESPONDERS)];
  const qn = input.questionnaire;

  // A second campaign of the same questionnaire and period for a unit would mean two reports.
  const clash = await svc.db.checkinReport.findFirst({
    where: { unitId: { in: unitIds }, campaign: { period: input.period, questionnaireId: qn.id } },
    select: { campaignId: true, unit: { select: { code: true } } },
  });
  if (clash) throw new CheckinError('duplicate', { code: clash.unit.code, id: clash.campaignId, period: formatQuarter(input.period)! });

  const deadline = await createDeadline(svc, {
    title: campaignTitle({ period: input.period, questionnaire: qn }, 'vi'),
    dueAt: input.closesAt,
    unitIds,
    createdById: input.createdById ?? null,
    actor: input.actor,
    kind: 'checkin',
    announce: false,
  });
  const create = svc.db.$transaction(
    async (tx) => {
      const c = await tx.checkinCampaign.create({
        data: {
          period: input.period,
          questionnaireId: qn.id,
          questionnaireVersion: qn.version,
          questionnaire: qn as unknown as Prisma.InputJsonValue,
          responderRoles: roles,
          opensAt: opensAt.toJSDate(),
          closesAt: input.closesAt.toJSDate(),
          deadlineId: deadline.id,
          createdById: input.createdById ?? null,
          createdAt: now.toJSDate(),
        },
      });
      await tx.checkinReport.createMany({ data: unitIds.map((unitId) => ({ campaignId: c.id, unitId })) });
      await audit(tx, {
        actorId: input.createdById ?? null,
        actor: input.actor,
        action: 'checkin.open',
        target: `checkin:${c.id}`,
        details: {
          period: input.period,
          questionnaire: `${qn.id}@${qn.version}`,
          units: unitIds.length,
          deadline: deadline.id,
          opensAt: opensAt.toISO(),
          closesAt: input.closesAt.toISO(),
        },
      });
      return c.id;
    },
    { timeout: 60_000 },
  );
  // A deadline without its campaign would remind people of a report they cannot answer.
  const id = await create.catch(async (err: unknown) => {
    await svc.db.deadline.delete({ where: { id: deadline.id } }).catch(() => undefined);
    throw err;
  });
  const prompted = opensAt <= now ? await promptCampaign(svc, id) : 0;
  return { id, deadlineId: deadline.id, units: unitIds.length, prompted };
}

/**
 * Sends each responder of each unit the "start" prompt, once: the campaign is marked prompted in
 * the same transaction, and dedupe keys make a second run a no-op anyway.
 */
export async function promptCampaign(svc: Services, campaignId: number): Promise<number> {
  const now = svc.clock.now();
  const queued = await svc.db.$transaction(
    async (tx) => {
      const claimed = await tx.checkinCampaign.updateMany({
        where: { id: campaignId, promptedAt: null },
        data: { promptedAt: now.toJSDate() },
      });
      if (claimed.count === 0) return 0;
      const row = await tx.checkinCampaign.findUniqueOrThrow({
        where: { id: campaignId },
        include: { reports: { include: { unit: true } } },
      });
      const c = toCampaignView(row, svc.clock.zone);
      const holders = await holdersOf(
        tx,
        row.reports.map((r) => r.unitId),
        c.responderRoles,
      );
      const items: OutboxItem[] = [];
      for (const r of row.reports) {
        for (const h of holders.get(r.unitId) ?? []) {
          const payload = promptMessage(h.locale, c, r.unit);
          for (const chat of h.chatIds) {
            items.push({
              chatIdentityId: chat,
              dedupeKey: `checkin:${c.id}:unit:${r.unitId}:person:${h.personId}:prompt:chat:${chat}`,
              payload,
            });
          }
        }
      }
      return enqueue(tx, items);
    },
    { timeout: 60_000 },
  );
  if (queued) svc.kick();
  return queued;
}

/** Campaigns whose opening time has come and whose responders were not prompted yet. */
export async function campaignsToPrompt(svc: Pick<Services, 'db' | 'clock'>): Promise<number[]> {
  const rows = await svc.db.checkinCampaign.findMany({
    where: { promptedAt: null, opensAt: { lte: svc.clock.now().toJSDate() } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => r.id);
}

/** True when the person holds one of the campaign's responder roles directly in the unit. */
export async function isResponder(db: Tx, personId: number, unitId: number, roles: readonly Role[]): Promise<boolean> {
  return (await db.roleAssignment.count({ where: { personId, unitId, role: { in: [...roles] } } })) > 0;
}
