import type { Services } from '../../core/services.js';
import { Prisma } from '../../db/generated/client.js';
import type { Role } from '../../db/generated/enums.js';
import type { Actor } from '../actor.js';
import { deny, inScope, mayTryRule, scopeOf } from '../policy.js';
import { ok, type Result } from '../result.js';
import { webPolicy } from './policy.js';

export interface OrgUnit {
  id: number;
  code: string;
  name: string;
  kind: string;
  /** Depth under the viewer's top units (0 = a top unit of theirs). */
  depth: number;
  /** People holding a role directly in the unit, and how many of them have a linked chat. */
  people: number;
  linked: number;
  /** Group chats linked to the unit. */
  groups: number;
}

export interface OrgPerson {
  id: number;
  name: string;
  roles: Role[];
  /** Active linked chats (channel names, e.g. "telegram"). */
  chats: string[];
}

export interface OrgView {
  units: OrgUnit[];
  /** The unit opened (its people), when one is. */
  unit: (OrgUnit & { members: OrgPerson[] }) | null;
}

/**
 * Tổ chức (web.org): the units the viewer's roles reach, in tree order, with how many people hold a
 * role in each and how many of them have linked a chat; one unit's people with roles and chats.
 */
export async function orgTree(svc: Services, actor: Actor, input: { unitId?: number }): Promise<Result<OrgView>> {
  if (actor.kind === 'person' && !mayTryRule(webPolicy.rules.org, actor.person)) return deny(svc.db, actor, 'web.org');
  const db = svc.db;
  const scope = await scopeOf(db, actor, webPolicy.rules.org);
  if (input.unitId !== undefined && !inScope(scope, input.unitId)) return deny(db, actor, 'web.org', `unit:${input.unitId}`);
  const ids = scope.all ? null : [...scope.ids];
  const [units, counts, groups] = await Promise.all([
    db.unit.findMany({
      where: ids ? { id: { in: ids } } : {},
      select: { id: true, code: true, name: true, kind: true, parentId: true },
      orderBy: { id: 'asc' },
    }),
    db.$queryRaw<{ unit_id: number; people: bigint; linked: bigint }[]>`
      SELECT ra.unit_id, count(DISTINCT ra.person_id) AS people,
             count(DISTINCT ra.person_id) FILTER (WHERE EXISTS (
               SELECT 1 FROM chat_identities c WHERE c.person_id = ra.person_id AND c.active AND NOT c.is_group)) AS linked
      FROM role_assignments ra
      ${ids ? Prisma.sql`WHERE ra.unit_id = ANY(${ids}::int[])` : Prisma.empty}
      GROUP BY ra.unit_id`,
    db.chatIdentity.groupBy({
      by: ['unitId'],
      where: { isGroup: true, active: true, unitId: ids ? { in: ids } : { not: null } },
      _count: true,
    }),
  ]);
  const byUnit = new Map(counts.map((c) => [Number(c.unit_id), c]));
  const groupsOf = new Map(groups.map((g) => [g.unitId, g._count]));
  const known = new Set(units.map((u) => u.id));
  const children = new Map<number | null, typeof units>();
  for (const u of units) {
    const key = u.parentId !== null && known.has(u.parentId) ? u.parentId : null;
    const list = children.get(key);
    if (list) list.push(u);
    else children.set(key, [u]);
  }
  const out: OrgUnit[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      const c = byUnit.get(u.id);
      out.push({
        id: u.id,
        code: u.code,
        name: u.name,
        kind: u.kind,
        depth,
        people: Number(c?.people ?? 0),
        linked: Number(c?.linked ?? 0),
        groups: groupsOf.get(u.id) ?? 0,
      });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);

  let unit: OrgView['unit'] = null;
  const open = input.unitId !== undefined ? out.find((u) => u.id === input.unitId) : undefined;
  if (open) {
    const roles = await db.roleAssignment.findMany({
      where: { unitId: open.id },
      select: {
        role: true,
        person: { select: { id: true, fullName: true, chats: { where: { active: true, isGroup: false }, select: { channel: true } } } },
      },
      orderBy: [{ person: { fullName: 'asc' } }],
    });
    const members = new Map<number, OrgPerson>();
    for (const r of roles) {
      const m = members.get(r.person.id) ?? {
        id: r.person.id,
        name: r.person.fullName,
        roles: [],
        chats: r.person.chats.map((c) => c.channel),
      };
      m.roles.push(r.role);
      members.set(r.person.id, m);
    }
    unit = { ...open, members: [...members.values()] };
  }
  return ok({ units: out, unit });
}
