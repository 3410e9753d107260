import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../db/generated/client.js';
import type { ScheduleStatus } from '../../db/generated/enums.js';

export type Tx = Db | Prisma.TransactionClient;

/** What a person or a file says about an item; the rest (status, version, history) is ours. */
export interface ItemFields {
  unitId: number;
  startsAt: DateTime;
  endsAt: DateTime | null;
  content: string;
  place: string;
  chair: string;
  participants: string;
  /** Units and people taking part (resolved from the text, or given by code). */
  unitIds: number[];
  personIds: number[];
}

export interface Item extends ItemFields {
  id: number;
  ref: string | null;
  unitName: string;
  status: ScheduleStatus;
  version: number;
  createdAt: DateTime;
  updatedAt: DateTime;
}

export const itemInclude = {
  unit: { select: { name: true } },
  units: { select: { unitId: true } },
  people: { select: { personId: true } },
} satisfies Prisma.ScheduleItemInclude;

type Row = Prisma.ScheduleItemGetPayload<{ include: typeof itemInclude }>;

export function toItem(r: Row, zone: string): Item {
  return {
    id: r.id,
    ref: r.ref,
    unitId: r.unitId,
    unitName: r.unit.name,
    startsAt: DateTime.fromJSDate(r.startsAt, { zone }),
    endsAt: r.endsAt ? DateTime.fromJSDate(r.endsAt, { zone }) : null,
    content: r.content,
    place: r.place,
    chair: r.chair,
    participants: r.participants,
    unitIds: r.units.map((u) => u.unitId).sort((a, b) => a - b),
    personIds: r.people.map((p) => p.personId).sort((a, b) => a - b),
    status: r.status,
    version: r.version,
    createdAt: DateTime.fromJSDate(r.createdAt, { zone }),
    updatedAt: DateTime.fromJSDate(r.updatedAt, { zone }),
  };
}

/** Items matching `where`, in time order. */
export async function findItems(db: Tx, zone: string, where: Prisma.ScheduleItemWhereInput): Promise<Item[]> {
  const rows = await db.scheduleItem.findMany({ where, include: itemInclude, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] });
  return rows.map((r) => toItem(r, zone));
}

export async function findItem(db: Tx, zone: string, id: number): Promise<Item | null> {
  const r = await db.scheduleItem.findUnique({ where: { id }, include: itemInclude });
  return r ? toItem(r, zone) : null;
}

/** The item as kept in its history (JSON). */
export interface Snapshot {
  unitId: number;
  startsAt: string;
  endsAt: string | null;
  content: string;
  place: string;
  chair: string;
  participants: string;
  unitIds: number[];
  personIds: number[];
  status: ScheduleStatus;
}

export function snapshot(f: ItemFields, status: ScheduleStatus): Snapshot {
  return {
    unitId: f.unitId,
    startsAt: f.startsAt.toUTC().toISO()!,
    endsAt: f.endsAt ? f.endsAt.toUTC().toISO()! : null,
    content: f.content,
    place: f.place,
    chair: f.chair,
    participants: f.participants,
    unitIds: [...f.unitIds].sort((a, b) => a - b),
    personIds: [...f.personIds].sort((a, b) => a - b),
    status,
  };
}

export function fromSnapshot(s: Snapshot, zone: string): ItemFields & { status: ScheduleStatus } {
  return {
    ...s,
    startsAt: DateTime.fromISO(s.startsAt, { zone }),
    endsAt: s.endsAt ? DateTime.fromISO(s.endsAt, { zone }) : null,
  };
}

/** The fields a person sees that differ between two versions of an item. */
export type Field = 'time' | 'content' | 'place' | 'chair' | 'participants' | 'unit';

export function changedFields(a: Snapshot, b: Snapshot): Field[] {
  const out: Field[] = [];
  if (a.startsAt !== b.startsAt || a.endsAt !== b.endsAt) out.push('time');
  if (a.content !== b.content) out.push('content');
  if (a.place !== b.place) out.push('place');
  if (a.chair !== b.chair) out.push('chair');
  if (a.participants !== b.participants || a.unitIds.join() !== b.unitIds.join() || a.personIds.join() !== b.personIds.join()) {
    out.push('participants');
  }
  if (a.unitId !== b.unitId) out.push('unit');
  return out;
}
