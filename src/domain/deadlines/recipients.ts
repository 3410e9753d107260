import type { Db } from '../../db/client.js';
import type { Prisma } from '../../db/generated/client.js';
import type { Role } from '../../db/generated/enums.js';
import { reachOf } from '../reach.js';

type Tx = Db | Prisma.TransactionClient;

/** Who is chased for a unit's report: its secretary and deputy secretaries. */
export const SECRETARY_ROLES: readonly Role[] = ['bi_thu', 'pho_bi_thu'];
/** Who supervises units and gets the daily list of late ones (seed 002, IV.3). */
export const SUPERVISOR_ROLES: readonly Role[] = ['phu_trach'];

export interface Holder {
  personId: number;
  fullName: string;
  phone: string;
  locale: string;
  role: Role;
  /** The chat the person's pushes go to (`reachOf`): one, or none when they have no active private chat. */
  chatIds: number[];
}

/** The people holding `roles` directly in each unit right now, with the chat each is reached on. */
export async function holdersOf(db: Tx, unitIds: number[], roles: readonly Role[] = SECRETARY_ROLES): Promise<Map<number, Holder[]>> {
  const out = new Map<number, Holder[]>();
  if (unitIds.length === 0) return out;
  const rows = await db.roleAssignment.findMany({
    where: { unitId: { in: unitIds }, role: { in: [...roles] } },
    orderBy: [{ role: 'asc' }, { id: 'asc' }],
    select: {
      unitId: true,
      role: true,
      person: {
        select: {
          id: true,
          fullName: true,
          phone: true,
          locale: true,
        },
      },
    },
  });
  const reach = await reachOf(
    db,
    rows.map((r) => r.person.id),
  );
  for (const r of rows) {
    const list = out.get(r.unitId) ?? [];
    if (list.some((h) => h.personId === r.person.id)) continue;
    list.push({
      personId: r.person.id,
      fullName: r.person.fullName,
      phone: r.person.phone,
      locale: r.person.locale,
      role: r.role,
      chatIds: chatIdsOf(reach.get(r.person.id)),
    });
    out.set(r.unitId, list);
  }
  return out;
}

/** For each unit, the people holding `roles` in it or in a unit above it (one read of the tree). */
export async function holdersAbove(db: Tx, unitIds: number[], roles: readonly Role[] = SUPERVISOR_ROLES): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (unitIds.length === 0) return out;
  const units = await db.unit.findMany({ select: { id: true, parentId: true } });
  const parent = new Map(units.map((u) => [u.id, u.parentId]));
  const held = await db.roleAssignment.findMany({ where: { role: { in: [...roles] } }, select: { unitId: true, personId: true } });
  const byUnit = new Map<number, number[]>();
  for (const h of held) byUnit.set(h.unitId, [...(byUnit.get(h.unitId) ?? []), h.personId]);
  for (const id of unitIds) {
    const people = new Set<number>();
    let cur: number | null | undefined = id;
    for (let depth = 0; cur != null && depth < 64; depth++) {
      for (const p of byUnit.get(cur) ?? []) people.add(p);
      cur = parent.get(cur);
    }
    out.set(id, [...people]);
  }
  return out;
}

/** The locale of some people and the chat each is reached on (`reachOf`; none without an active private chat). */
export async function chatsAndLocales(db: Tx, personIds: number[]): Promise<Map<number, { locale: string; chatIds: number[] }>> {
  const out = new Map<number, { locale: string; chatIds: number[] }>();
  if (personIds.length === 0) return out;
  const people = await db.person.findMany({ where: { id: { in: personIds } }, select: { id: true, locale: true } });
  const reach = await reachOf(db, personIds);
  for (const p of people) out.set(p.id, { locale: p.locale, chatIds: chatIdsOf(reach.get(p.id)) });
  return out;
}

function chatIdsOf(r: { chatIdentityId: number } | undefined): number[] {
  return r ? [r.chatIdentityId] : [];
}
