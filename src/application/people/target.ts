import type { Person } from '../../db/generated/client.js';
import type { Services } from '../../core/services.js';
import { normalizePhone } from '../../domain/phone.js';
import type { Actor } from '../actor.js';
import { coversAll, deny, mayTry, scopeOf, type Rule } from '../policy.js';
import { refused, type Result, ok } from '../result.js';

/**
 * The person a phone number names, if the actor may act on them under `rule`: the operator always;
 * a person only when every unit the target holds a role in lies within their reach (a target with no
 * role left is the operator's business).
 */
export async function targetByPhone(svc: Services, actor: Actor, action: string, rule: Rule, phoneInput: string): Promise<Result<Person>> {
  const phone = normalizePhone(phoneInput);
  const person = phone ? await svc.db.person.findUnique({ where: { phone } }) : null;
  if (!person) return refused('cli:person.unknown_phone', { phone: phoneInput });
  if (actor.kind === 'person') {
    if (!mayTry(rule.who, actor.person)) return deny(svc.db, actor, action, `person:${person.id}`);
    const held = await svc.db.roleAssignment.findMany({ where: { personId: person.id }, select: { unitId: true } });
    const scope = await scopeOf(svc.db, actor, rule);
    if (
      held.length === 0 ||
      !coversAll(
        scope,
        held.map((h) => h.unitId),
      )
    )
      return deny(svc.db, actor, action, `person:${person.id}`);
  }
  return ok(person);
}
