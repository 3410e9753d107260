import { Role } from '../../src/db/generated/enums.js';
import type { Db } from '../../src/db/client.js';
import type { TestUser } from '../../src/emulator/botApiEmulator.js';

/**
 * The matrix's people: for every role, one person holding it in a đảng bộ (DB-BTG, so a chi bộ
 * below it is in their subtree but not theirs directly) and one holding it in the chi bộ itself
 * (CB1-BTG); one linked person without roles; one stranger. Targets are objects of CB1-BTG (inside)
 * and of CB1-MT (outside: under another đảng bộ).
 */
export const INSIDE = 'CB1-BTG';
export const OUTSIDE = 'CB1-MT';
export const HELD_AT = ['DB-BTG', 'CB1-BTG'] as const;

export interface MatrixActor {
  key: string;
  user: TestUser;
  /** The one role and the unit it is held in; null for the linked person without roles and the stranger. */
  role: Role | null;
  at: (typeof HELD_AT)[number] | null;
  linked: boolean;
  personId?: number;
}

export function matrixActors(): MatrixActor[] {
  const actors: MatrixActor[] = [];
  let id = 61_000;
  for (const role of Object.values(Role)) {
    for (const at of HELD_AT)
      actors.push({ key: `${role}@${at}`, user: { id: ++id, first_name: `${role} ${at}` }, role, at, linked: true });
  }
  actors.push({ key: 'no-roles', user: { id: ++id, first_name: 'Không vai trò' }, role: null, at: null, linked: true });
  actors.push({ key: 'stranger', user: { id: id + 1, first_name: 'Người lạ' }, role: null, at: null, linked: false });
  return actors;
}

/** Creates the people, their single role and their linked Telegram chat. */
export async function seedActors(db: Db, actors: MatrixActor[]): Promise<void> {
  const units = new Map((await db.unit.findMany({ select: { id: true, code: true } })).map((u) => [u.code, u.id]));
  for (const [i, a] of actors.entries()) {
    if (!a.linked) continue;
    const person = await db.person.create({ data: { fullName: `Ma trận ${a.key}`, phone: `+8497${String(6_100_000 + i)}` } });
    a.personId = person.id;
    if (a.role && a.at) await db.roleAssignment.create({ data: { personId: person.id, unitId: units.get(a.at)!, role: a.role } });
    await db.chatIdentity.create({ data: { channel: 'telegram', chatId: String(a.user.id), personId: person.id } });
  }
}

/** Is `unit` at or below `root` in the fixture tree (test/fixtures/units.csv)? Written out, not queried. */
export function covers(root: string, unit: string): boolean {
  const parent: Record<string, string> = {
    'DB-BTG': 'DBK',
    'CB1-BTG': 'DB-BTG',
    'CB2-BTG': 'DB-BTG',
    'CB3-BTG': 'DB-BTG',
    'DB-UBMT': 'DBK',
    'CB1-MT': 'DB-UBMT',
    'CBCS-HLH': 'DBK',
  };
  for (let u: string | undefined = unit; u; u = parent[u]) if (u === root) return true;
  return false;
}
