import { CHANNELS } from '../../core/messages.js';
import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { deactivationDetails } from '../../domain/imports/people.js';
import { createInvite, createInvites, revokeInvites } from '../../domain/invites.js';
import { subtreeIds } from '../../domain/org/tree.js';
import { deactivatePerson, unlinkChats, type DeactivationResult, type UnlinkResult } from '../../domain/people.js';
import { auditActor, type Actor } from '../actor.js';
import { deny, mayTry, scopeOf, scopeIds } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { peoplePolicy } from './policy.js';
import { targetByPhone } from './target.js';

export interface Named {
  personId: number;
  fullName: string;
  phone: string;
}

/**
 * `person remove`: the person loses every role and all access (see `deactivatePerson`), in one
 * transaction; nothing queued for them is sent any more. Running it again changes nothing new.
 */
export async function removePerson(
  svc: Services,
  actor: Actor,
  input: { phone: string },
): Promise<Result<Named & DeactivationResult & { already: boolean }>> {
  const target = await targetByPhone(svc, actor, 'people.remove', peoplePolicy.rules.remove, input.phone);
  if (!target.ok) return target;
  const p = target.value;
  const now = svc.clock.now().toJSDate();
  const result = await svc.db.$transaction(async (tx) => {
    const r = await deactivatePerson(tx, p.id, now);
    await audit(tx, { ...auditActor(actor), action: 'person.deactivate', target: `person:${p.id}`, details: deactivationDetails(r) });
    return r;
  });
  return ok({ personId: p.id, fullName: p.fullName, phone: p.phone, already: p.deactivatedAt !== null, ...result });
}

/** `person unlink`: the person's chats (of one channel, or all) forget them; roles stay. */
export async function unlinkPerson(
  svc: Services,
  actor: Actor,
  input: { phone: string; channel?: string },
): Promise<Result<Named & UnlinkResult>> {
  if (input.channel !== undefined && !(CHANNELS as readonly string[]).includes(input.channel)) {
    return refused('cli:person.bad_channel', { channel: input.channel, valid: CHANNELS.join(', ') });
  }
  const target = await targetByPhone(svc, actor, 'people.unlink', peoplePolicy.rules.unlink, input.phone);
  if (!target.ok) return target;
  const p = target.value;
  const result = await svc.db.$transaction(async (tx) => {
    const r = await unlinkChats(tx, p.id, input.channel);
    if (r.chats.length) {
      await audit(tx, {
        ...auditActor(actor),
        action: 'chat.unlink',
        target: `person:${p.id}`,
        details: { before: { chats: r.chats }, after: { chats: [] }, cancelledMessages: r.cancelled },
      });
    }
    return r;
  });
  if (result.chats.length === 0) {
    return refused(input.channel ? 'cli:person.no_chat_on_channel' : 'cli:person.no_chat', {
      name: p.fullName,
      channel: input.channel ?? '',
    });
  }
  return ok({ personId: p.id, fullName: p.fullName, phone: p.phone, ...result });
}

/** `invite revoke`: every invite of the person that could still be used stops working. */
export async function revokePersonInvites(
  svc: Services,
  actor: Actor,
  input: { phone: string },
): Promise<Result<Named & { revoked: number }>> {
  const target = await targetByPhone(svc, actor, 'people.revokeInvites', peoplePolicy.rules.revokeInvites, input.phone);
  if (!target.ok) return target;
  const p = target.value;
  const revoked = await svc.db.$transaction(async (tx) => {
    const n = await revokeInvites(tx, p.id, svc.clock.now().toJSDate());
    await audit(tx, { ...auditActor(actor), action: 'invite.revoke', target: `person:${p.id}`, details: { revoked: n } });
    return n;
  });
  return ok({ personId: p.id, fullName: p.fullName, phone: p.phone, revoked });
}

/** A new invite's link token and its short code (canonical form; show it with `formatInviteCode`). */
export interface NewInvite {
  token: string;
  code: string;
  expiresAt: Date;
}

/** `invite --phone`: a new single-use link (and code) for one person who still has access. */
export async function invitePerson(svc: Services, actor: Actor, input: { phone: string }): Promise<Result<Named & NewInvite>> {
  const target = await targetByPhone(svc, actor, 'people.invite', peoplePolicy.rules.invite, input.phone);
  if (!target.ok) return target;
  const p = target.value;
  if (p.deactivatedAt) return refused('cli:invite.deactivated', { name: p.fullName });
  const invite = await createInvite(svc.db, svc.clock, p.id, svc.config.INVITE_TTL_DAYS, auditActor(actor));
  return ok({ personId: p.id, fullName: p.fullName, phone: p.phone, ...invite });
}

/** `invite --all [--unit]`: a link for everyone (in the unit's subtree) who has no private chat yet. */
export async function inviteUnlinked(
  svc: Services,
  actor: Actor,
  input: { unitCode?: string },
): Promise<Result<(Named & NewInvite & { unitCode: string })[]>> {
  const rule = peoplePolicy.rules.invite;
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person)) return deny(svc.db, actor, 'people.invite', 'all');
  let unitIds: number[] | undefined;
  if (input.unitCode) {
    const unit = await svc.db.unit.findUnique({ where: { code: input.unitCode } });
    if (!unit) return refused('cli:unknown_unit', { code: input.unitCode });
    unitIds = await subtreeIds(svc.db, [unit.id]);
  }
  const reach = scopeIds(await scopeOf(svc.db, actor, rule));
  if (reach !== 'all') {
    if (unitIds && unitIds.some((id) => !reach.includes(id))) return deny(svc.db, actor, 'people.invite', `unit:${input.unitCode}`);
    unitIds ??= reach;
  }
  const people = await svc.db.person.findMany({
    where: {
      deactivatedAt: null,
      chats: { none: { active: true, isGroup: false } },
      ...(unitIds ? { roles: { some: { unitId: { in: unitIds } } } } : {}),
    },
    include: { roles: { include: { unit: true }, orderBy: { id: 'asc' } } },
    orderBy: { fullName: 'asc' },
  });
  // One set of statements for everyone (a whole bloc is 8,445 people), not a round trip per person.
  const invites = await createInvites(
    svc.db,
    svc.clock,
    people.map((p) => p.id),
    svc.config.INVITE_TTL_DAYS,
    auditActor(actor),
  );
  const within = unitIds ? new Set(unitIds) : undefined;
  return ok(
    people.map((p, i) => {
      const { token, code, expiresAt } = invites[i]!;
      const unitCode = (within ? p.roles.find((r) => within.has(r.unitId)) : p.roles[0])?.unit.code ?? '';
      return { personId: p.id, fullName: p.fullName, phone: p.phone, unitCode, token, code, expiresAt };
    }),
  );
}
