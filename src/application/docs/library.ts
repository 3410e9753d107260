import type { Services } from '../../core/services.js';
import type { Tx } from '../../db/client.js';
import { numberKey } from '../../domain/docs/fields.js';
import { isSaved, saveForPerson, savedIds, unsaveForPerson } from '../../domain/docs/saved.js';
import { searchDocuments } from '../../domain/docs/search.js';
import { loadDocument, loadDocuments, type DocView } from '../../domain/docs/store.js';
import type { Actor } from '../actor.js';
import { deny, mayTry, scopeOf, type UnitScope } from '../policy.js';
import { forbidden, ok, refused, type Result } from '../result.js';
import { docsPolicy } from './policy.js';

/** The refusal for a document that is gone or not for this person (one message for both). */
export const GONE = 'docs:detail.gone';

/** The units whose documents the actor sees (`all` for the operator). */
export function visibleScope(db: Tx, actor: Actor): Promise<UnitScope> {
  return scopeOf(db, actor, docsPolicy.rules.view);
}

/** Meant for everyone, or for a unit in the scope. */
export function seesUnits(scope: UnitScope, unitIds: readonly number[]): boolean {
  return unitIds.length === 0 || scope.all || unitIds.some((id) => scope.ids.has(id));
}

function visibleIds(scope: UnitScope): number[] | null {
  return scope.all ? null : [...scope.ids];
}

function linked(actor: Actor, rule: keyof typeof docsPolicy.rules): boolean {
  return actor.kind === 'operator' || mayTry(docsPolicy.rules[rule].who, actor.person);
}

/** May the actor see this document? False also when there is no such document. */
export async function canSeeDocument(db: Tx, actor: Actor, docId: number): Promise<boolean> {
  const doc = await db.document.findUnique({ where: { id: docId }, select: { units: { select: { unitId: true } } } });
  if (!doc) return false;
  return seesUnits(
    await visibleScope(db, actor),
    doc.units.map((u) => u.unitId),
  );
}

export interface DocPage {
  docs: DocView[];
  total: number;
}

/** /tailieu: the newest visible documents, or the best matches for the words. */
export async function searchLibrary(
  svc: Services,
  actor: Actor,
  q: { text: string; page: number; pageSize: number },
): Promise<Result<DocPage>> {
  if (!linked(actor, 'search')) return forbidden();
  const scope = await visibleScope(svc.db, actor);
  const res = await searchDocuments(svc.db, { ...q, visibleUnitIds: visibleIds(scope) });
  return ok({ docs: await loadDocuments(svc.db, res.ids), total: res.total });
}

/** A visible document; an id that exists but is not for the actor is refused and audited. */
async function visibleDocument(db: Tx, actor: Actor, id: number, action: 'view' | 'save'): Promise<Result<DocView>> {
  const doc = await loadDocument(db, id);
  if (!doc) return refused(GONE);
  if (
    !seesUnits(
      await visibleScope(db, actor),
      doc.units.map((u) => u.id),
    )
  )
    return deny(db, actor, `docs.${action}`, `document:${id}`, GONE);
  return ok(doc);
}

/** A document's detail, and whether the person has saved it. */
export async function openDocument(svc: Services, actor: Actor, id: number): Promise<Result<{ doc: DocView; saved: boolean }>> {
  if (!linked(actor, 'view')) return forbidden();
  const doc = await visibleDocument(svc.db, actor, id, 'view');
  if (!doc.ok) return doc;
  return ok({ doc: doc.value, saved: actor.kind === 'person' && (await isSaved(svc.db, actor.person.id, id)) });
}

/** ⭐ Lưu / Bỏ lưu: only a visible document goes on (or off) the person's own list. */
export async function setSaved(svc: Services, actor: Actor, id: number, save: boolean): Promise<Result<{ doc: DocView; saved: boolean }>> {
  if (actor.kind !== 'person' || !linked(actor, 'save')) return forbidden();
  const doc = await visibleDocument(svc.db, actor, id, 'save');
  if (!doc.ok) return doc;
  if (save) await saveForPerson(svc.db, actor.person.id, id);
  else await unsaveForPerson(svc.db, actor.person.id, id);
  return ok({ doc: doc.value, saved: save });
}

export type SaveByQuery = { kind: 'saved'; doc: DocView } | { kind: 'none' } | { kind: 'several'; docs: DocView[]; total: number };

/** /luu <số hiệu hoặc từ khóa>: saves the visible document it names, or says there are several or none. */
export async function saveByQuery(svc: Services, actor: Actor, text: string, pageSize: number): Promise<Result<SaveByQuery>> {
  if (actor.kind !== 'person' || !linked(actor, 'save')) return forbidden();
  const scope = await visibleScope(svc.db, actor);
  const res = await searchDocuments(svc.db, { text, visibleUnitIds: visibleIds(scope), page: 0, pageSize });
  const docs = await loadDocuments(svc.db, res.ids);
  const exact = docs.find((d) => d.number && numberKey(d.number) === numberKey(text));
  const pick = exact ?? (res.total === 1 ? docs[0] : undefined);
  if (pick) {
    await saveForPerson(svc.db, actor.person.id, pick.id);
    return ok({ kind: 'saved', doc: pick });
  }
  return ok(res.total === 0 ? { kind: 'none' } : { kind: 'several', docs, total: res.total });
}

/** /luu and its pages: saved documents that are still meant for the person. */
export async function listSaved(svc: Services, actor: Actor, page: number, pageSize: number): Promise<Result<DocPage>> {
  if (actor.kind !== 'person' || !linked(actor, 'save')) return forbidden();
  const scope = await visibleScope(svc.db, actor);
  const res = await savedIds(svc.db, actor.person.id, page, pageSize, visibleIds(scope));
  return ok({ docs: await loadDocuments(svc.db, res.ids), total: res.total });
}
