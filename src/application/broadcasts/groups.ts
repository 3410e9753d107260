import type { Services } from '../../core/services.js';
import { linkGroup } from '../../domain/broadcasts/groups.js';
import { auditActor, type Actor } from '../actor.js';
import { inScope, scopeOf } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { refuse } from './common.js';
import { rule } from './policy.js';

type UnitRef = { code: string; name: string };

/** What /ganhom shows without arguments: the unit the group is linked to, if any. */
export async function groupLink(svc: Services, chatIdentityId: number): Promise<UnitRef | null> {
  const chat = await svc.db.chatIdentity.findUnique({ where: { id: chatIdentityId }, include: { unit: true } });
  return chat?.unit ? { code: chat.unit.code, name: chat.unit.name } : null;
}

/**
 * Links a group chat to a unit (`code`), or unlinks it (null). The actor needs a linking role at or
 * above the unit, and, when the group is linked to another unit now, at or above that one too (L9).
 */
export async function linkGroupToUnit(
  svc: Services,
  actor: Actor,
  input: { chatIdentityId: number; code: string | null },
): Promise<Result<{ unit: UnitRef | null; previous: UnitRef | null }>> {
  const { db } = svc;
  const chat = await db.chatIdentity.findUnique({ where: { id: input.chatIdentityId }, include: { unit: true } });
  if (!chat?.isGroup) return refused('broadcasts:ganhom.only_group');
  const target = `chat:${chat.channel}:${chat.chatId}`;
  const scope = await scopeOf(db, actor, rule('linkGroup'));
  const current = chat.unit;
  const audited = { ...auditActor(actor), chatIdentityId: chat.id };
  if (input.code === null) {
    if (!current) return refused('broadcasts:ganhom.none');
    if (!inScope(scope, current.id))
      return refuse(db, actor, 'linkGroup', target, 'broadcasts:ganhom.not_secretary', { code: current.code });
    await linkGroup(db, { ...audited, unit: null });
    return ok({ unit: null, previous: { code: current.code, name: current.name } });
  }
  const unit = await db.unit.findUnique({ where: { code: input.code } });
  if (!unit) return refused('broadcasts:ganhom.unknown_unit', { code: input.code });
  if (!inScope(scope, unit.id)) return refuse(db, actor, 'linkGroup', target, 'broadcasts:ganhom.not_secretary', { code: unit.code });
  if (current && current.id !== unit.id && !inScope(scope, current.id)) {
    return refuse(db, actor, 'linkGroup', target, 'broadcasts:ganhom.linked_elsewhere', { code: current.code, name: current.name });
  }
  const res = await linkGroup(db, { ...audited, unit: { id: unit.id, code: unit.code } });
  return ok({ unit: { code: unit.code, name: unit.name }, previous: res.previous });
}
