import type { Services } from '../../core/services.js';
import type { OutgoingMessage } from '../../core/messages.js';
import { Role } from '../../db/generated/enums.js';
import type { Unit } from '../../db/generated/client.js';
import { audienceUnits, countAudience, type Audience, type AudienceCounts } from '../../domain/broadcasts/audience.js';
import { broadcastButtons, REMIND_HOURS } from '../../domain/broadcasts/buttons.js';
import { composeBroadcast, senderOf } from '../../domain/broadcasts/compose.js';
import { createBroadcast, type CreatedBroadcast } from '../../domain/broadcasts/create.js';
import { parseUnitCodes } from '../../domain/docs/fields.js';
import { loadDocument, type DocView } from '../../domain/docs/store.js';
import type { TFunction } from '../../i18n.js';
import { personIdOf, type Actor } from '../actor.js';
import { coversAll, mayTry, scopeOf, type UnitScope } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { maySeeDocument, refuse } from './common.js';
import { rule, type BroadcastsAction } from './policy.js';

export const MAX_TEXT = 12_000;

/** What a broadcast is: the same for the chat's draft and the command line. */
export interface BroadcastInput {
  text: string;
  docId: number | null;
  unitIds: number[];
  subtree: boolean;
  roles: Role[];
  ack: boolean;
  remindHours: number | null;
}

/** The units an actor may broadcast to, and the top ones ("my whole subtree"). */
export interface AudienceScope {
  scope: UnitScope;
  roots: Pick<Unit, 'id' | 'code' | 'name'>[];
}

export async function audienceScope(svc: Services, actor: Actor): Promise<AudienceScope> {
  const { db } = svc;
  const scope = await scopeOf(db, actor, rule('compose'));
  if (scope.all) return { scope, roots: await db.unit.findMany({ where: { parentId: null }, orderBy: { code: 'asc' } }) };
  const units = await db.unit.findMany({
    where: { id: { in: [...scope.ids] } },
    select: { id: true, code: true, name: true, parentId: true },
    orderBy: { code: 'asc' },
  });
  // A unit whose parent is also in scope is not a root of its own.
  return { scope, roots: units.filter((u) => u.parentId === null || !scope.ids.has(u.parentId)) };
}

export type TreeUnit = Pick<Unit, 'id' | 'code' | 'name' | 'kind' | 'parentId'>;

/**
 * The dashboard's audience picker: every unit the actor may broadcast to (compose's scope), by code;
 * someone who may not broadcast is refused (audited).
 */
export async function audienceTree(svc: Services, actor: Actor): Promise<Result<TreeUnit[]>> {
  if (actor.kind === 'person' && !mayTry(rule('compose').who, actor.person)) return refuse(svc.db, actor, 'compose', 'units');
  const { scope } = await audienceScope(svc, actor);
  const select = { id: true, code: true, name: true, kind: true, parentId: true } as const;
  return ok(await svc.db.unit.findMany({ where: scope.all ? {} : { id: { in: [...scope.ids] } }, select, orderBy: { code: 'asc' } }));
}

/** The units offered when picking: the top ones and those right below them. */
export async function pickableUnits(svc: Services, actor: Actor): Promise<Pick<Unit, 'id' | 'code' | 'name'>[]> {
  const { roots } = await audienceScope(svc, actor);
  const ids = roots.map((u) => u.id);
  return svc.db.unit.findMany({ where: { OR: [{ id: { in: ids } }, { parentId: { in: ids } }] }, orderBy: { code: 'asc' }, take: 30 });
}

/** Starts a broadcast of a library document: only one the author sees (M1). */
export async function startWithDocument(svc: Services, actor: Actor, documentId: number): Promise<Result<DocView>> {
  const doc = await loadDocument(svc.db, documentId);
  if (!doc) return refused('broadcasts:compose.doc_gone');
  // The same message for "no such document" and "not yours to see": ids are not an oracle.
  if (!(await maySeeDocument(svc.db, actor, doc)))
    return refuse(svc.db, actor, 'attachDocument', `document:${documentId}`, 'broadcasts:compose.doc_gone');
  return ok(doc);
}

export function checkText(text: string, docId: number | null): Result<string> {
  const clean = text.trim();
  if (!clean && docId === null) return refused('broadcasts:compose.text_empty');
  if (clean.length > MAX_TEXT) return refused('broadcasts:compose.text_too_long', { max: MAX_TEXT });
  return ok(clean);
}

/** Units typed as codes ("CB1-BTG, CB2-BTG"), each within the actor's scope. */
export async function chooseUnits(svc: Services, actor: Actor, text: string): Promise<Result<{ unitIds: number[]; onlyChiBo: boolean }>> {
  const all = await svc.db.unit.findMany({ select: { id: true, code: true, kind: true } });
  const parsed = parseUnitCodes(text, new Map(all.map((u) => [u.code, u.id])));
  if (!parsed.ok) return refused('broadcasts:compose.units_unknown', { codes: String(parsed.params?.value ?? '') });
  if (parsed.value.length === 0) return refused('broadcasts:compose.units_empty');
  const { scope } = await audienceScope(svc, actor);
  const chosen = all.filter((u) => parsed.value.includes(u.id));
  const outside = chosen.filter((u) => !coversAll(scope, [u.id]));
  if (outside.length) {
    const codes = outside.map((u) => u.code).join(', ');
    return refuse(svc.db, actor, 'compose', `units:${codes}`, 'broadcasts:compose.units_outside', { codes });
  }
  return ok({ unitIds: parsed.value, onlyChiBo: chosen.every((u) => u.kind === 'chi_bo') });
}

interface Checked {
  doc: DocView | null;
  audience: Audience;
  remindHours: number | null;
}

/** Everything a broadcast must satisfy, checked when previewing and again when sending. */
async function check(svc: Services, actor: Actor, input: BroadcastInput, action: BroadcastsAction): Promise<Result<Checked>> {
  const { db } = svc;
  const text = checkText(input.text, input.docId);
  if (!text.ok) return text;
  if (input.unitIds.length === 0) return refused('broadcasts:compose.units_empty');
  const roles = Object.values(Role) as string[];
  if (input.roles.some((r) => !roles.includes(r))) return refused('broadcasts:compose.bad_roles');
  if (
    input.remindHours !== null &&
    (!input.ack || !Number.isInteger(input.remindHours) || input.remindHours < REMIND_HOURS.min || input.remindHours > REMIND_HOURS.max)
  ) {
    return refused('broadcasts:compose.bad_remind', { min: REMIND_HOURS.min, max: REMIND_HOURS.max });
  }
  // Roles may have been taken away since the draft began: the audience is checked every time.
  const scope = await scopeOf(db, actor, rule(action));
  if (!coversAll(scope, input.unitIds)) {
    const units = await db.unit.findMany({ where: { id: { in: input.unitIds } }, select: { code: true }, orderBy: { code: 'asc' } });
    return refuse(db, actor, action, `units:${units.map((u) => u.code).join(',')}`);
  }
  let doc: DocView | null = null;
  if (input.docId !== null) {
    doc = await loadDocument(db, input.docId);
    if (!doc) return refused('broadcasts:compose.doc_gone');
    if (!(await maySeeDocument(db, actor, doc))) return refuse(db, actor, action, `document:${input.docId}`, 'broadcasts:compose.doc_gone');
  }
  return ok({
    doc,
    audience: { unitIds: input.unitIds, subtree: input.subtree, roles: input.roles },
    remindHours: input.ack ? input.remindHours : null,
  });
}

export interface Preview {
  /** The messages as a recipient gets them, with an inert button. */
  parts: OutgoingMessage[];
  units: Pick<Unit, 'code' | 'name'>[];
  counts: AudienceCounts;
}

export async function previewBroadcast(svc: Services, actor: Actor, input: BroadcastInput, t: TFunction): Promise<Result<Preview>> {
  const checked = await check(svc, actor, input, 'compose');
  if (!checked.ok) return checked;
  const { db } = svc;
  const { doc, audience } = checked.value;
  const sender = await senderOf(db, personIdOf(actor));
  const parts = composeBroadcast(t, { text: input.text.trim(), doc, ack: input.ack, sender }, broadcastButtons.pack('pv', {}));
  const units = await db.unit.findMany({
    where: { id: { in: input.unitIds } },
    select: { code: true, name: true },
    orderBy: { code: 'asc' },
  });
  const counts = await countAudience(db, await audienceUnits(db, audience), audience);
  return ok({ parts, units, counts });
}

/**
 * Sends a broadcast: checks the audience and the document again, records it with its recipients,
 * queues the messages, audits, and wakes the worker. The same request key never sends twice.
 */
export async function sendBroadcast(
  svc: Services,
  actor: Actor,
  input: BroadcastInput & { requestKey: string },
): Promise<Result<CreatedBroadcast>> {
  const checked = await check(svc, actor, input, 'send');
  if (!checked.ok) return checked;
  const { doc, audience, remindHours } = checked.value;
  const res = await createBroadcast(svc.db, svc.clock, {
    requestKey: input.requestKey,
    authorId: personIdOf(actor),
    actor: actor.via,
    text: input.text.trim(),
    doc,
    audience,
    ack: input.ack,
    remindAfterHours: remindHours,
  });
  svc.kick();
  return ok(res);
}
