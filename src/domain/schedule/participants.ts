import type { Role } from '../../db/generated/enums.js';
import { fold } from '../imports/errors.js';
import type { Tx } from './model.js';

/**
 * Who "takes part" in an item on behalf of a participating unit: its secretaries. Everyone with a
 * role in that unit sees the item marked as theirs, but reminders and urgent notices go to these.
 */
export const UNIT_DELEGATES: readonly Role[] = ['bi_thu', 'pho_bi_thu'];

interface Named {
  id: number;
  key: string;
}

/** Units and people that participants text can name. */
export interface Directory {
  codes: Map<string, number>;
  unitNames: Named[];
  codeKeys: Named[];
  people: Named[];
}

export async function loadDirectory(db: Tx): Promise<Directory> {
  const units = await db.unit.findMany({ select: { id: true, code: true, name: true } });
  const people = await db.person.findMany({ select: { id: true, fullName: true } });
  // A name two people share cannot say which one is meant: it resolves to nobody.
  const byName = new Map<string, number[]>();
  for (const p of people) {
    const key = fold(p.fullName);
    if (key.split(/\s+/).length < 2) continue;
    byName.set(key, [...(byName.get(key) ?? []), p.id]);
  }
  return {
    codes: new Map(units.map((u) => [u.code.toLowerCase(), u.id])),
    unitNames: units.map((u) => ({ id: u.id, key: fold(u.name) })).filter((u) => u.key.length >= 6),
    codeKeys: units.map((u) => ({ id: u.id, key: u.code.toLowerCase() })),
    people: [...byName].filter(([, ids]) => ids.length === 1).map(([key, ids]) => ({ id: ids[0]!, key })),
  };
}

const isWordChar = (c: string | undefined, extra = '') => c !== undefined && (/[a-z0-9_]/.test(c) || extra.includes(c));

/** Does folded `text` contain `key` as a whole (not inside a longer word or code)? */
function mentions(text: string, key: string, extra = ''): boolean {
  for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + 1)) {
    if (!isWordChar(text[i - 1], extra) && !isWordChar(text[i + key.length], extra)) return true;
  }
  return false;
}

export interface Resolved {
  unitIds: number[];
  personIds: number[];
  /** Codes given explicitly that no unit has. */
  unknownCodes: string[];
}

/** Finds the units (by code or full name) and people (by full name) that `texts` mention. */
export function resolveParticipants(dir: Directory, texts: string[], explicitCodes: string[] = []): Resolved {
  const units = new Set<number>();
  const people = new Set<number>();
  const unknownCodes: string[] = [];
  for (const code of explicitCodes) {
    const id = dir.codes.get(code.trim().toLowerCase());
    if (id === undefined) unknownCodes.push(code.trim());
    else units.add(id);
  }
  const text = fold(texts.join(' \n '));
  if (text) {
    for (const u of dir.unitNames) if (mentions(text, u.key)) units.add(u.id);
    for (const u of dir.codeKeys) if (mentions(text, u.key, '-')) units.add(u.id);
    for (const p of dir.people) if (mentions(text, p.key)) people.add(p.id);
  }
  return { unitIds: [...units].sort((a, b) => a - b), personIds: [...people].sort((a, b) => a - b), unknownCodes };
}

/** Splits "CB1-BTG; CB2-BTG" (or commas) into codes. */
export function splitCodes(s: string | undefined): string[] {
  return (s ?? '')
    .split(/[;,]/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** For each item, the people who take part: those named, and the secretaries of the units named. */
export async function takersOf(db: Tx, items: { id: number; unitIds: number[]; personIds: number[] }[]): Promise<Map<number, Set<number>>> {
  const unitIds = [...new Set(items.flatMap((i) => i.unitIds))];
  const delegates = unitIds.length
    ? await db.roleAssignment.findMany({
        where: { unitId: { in: unitIds }, role: { in: [...UNIT_DELEGATES] } },
        select: { unitId: true, personId: true },
      })
    : [];
  const byUnit = new Map<number, number[]>();
  for (const d of delegates) byUnit.set(d.unitId, [...(byUnit.get(d.unitId) ?? []), d.personId]);
  return new Map(items.map((i) => [i.id, new Set([...i.personIds, ...i.unitIds.flatMap((u) => byUnit.get(u) ?? [])])]));
}

/** Does the item concern this reader: named, or one of the reader's units takes part? */
export function concerns(
  item: { unitIds: number[]; personIds: number[] },
  reader: { personId: number; unitIds: readonly number[] },
): boolean {
  return item.personIds.includes(reader.personId) || item.unitIds.some((u) => reader.unitIds.includes(u));
}
