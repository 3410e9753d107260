import type { Services } from '../../core/services.js';
import type { Tx } from '../../db/client.js';
import { audit } from '../../domain/audit.js';
import { parseAudienceCodes } from '../../domain/docs/fields.js';
import { docContext, parseDocRows } from '../../domain/docs/import.js';
import {
  createDocument,
  documentCreator,
  findSame,
  loadDocument,
  updateDocument,
  type DocDraft,
  type DocInput,
  type DocView,
} from '../../domain/docs/store.js';
import type { ImportResult, RowError } from '../../domain/imports/errors.js';
import type { TableRow } from '../../domain/imports/readTable.js';
import { peopleAbove, subtreeIds } from '../../domain/org/tree.js';
import { auditActor, personIdOf, type Actor } from '../actor.js';
import { coversAll, inScope, mayTry, scopeOf, type UnitScope } from '../policy.js';
import { forbidden, ok, refused, type Refusal, type Result } from '../result.js';
import { DOC_ROLES, docsPolicy } from './policy.js';

export type UnitRef = DocView['units'][number];

export type { DocDraft };

/** What the audit log keeps of a document before and after a change. */
export type DocSnapshot = {
  title: string;
  number: string | null;
  urls: string[];
  units: string[];
};

function snapshot(doc: Pick<DocView, 'title' | 'number' | 'urls' | 'units'>): DocSnapshot {
  return { title: doc.title, number: doc.number, urls: doc.urls, units: doc.units.map((u) => u.code) };
}

const unique = (ids: readonly number[]) => [...new Set(ids)].sort((a, b) => a - b);
const sameSet = (a: readonly number[], b: readonly number[]) => unique(a).join(',') === unique(b).join(',');

/** The units the actor may address documents to, and the top ones among them ("my units"). */
export async function authorScope(db: Tx, actor: Actor): Promise<{ scope: UnitScope; roots: number[] }> {
  const scope = await scopeOf(db, actor, docsPolicy.rules.add);
  if (actor.kind === 'operator') return { scope, roots: [] };
  const held = unique(actor.person.roles.filter((r) => (DOC_ROLES as readonly string[]).includes(r.role)).map((r) => r.unitId));
  const roots: number[] = [];
  // A held unit inside another held unit's subtree is not a root of its own.
  for (const id of held)
    if (
      !(
        await subtreeIds(
          db,
          held.filter((o) => o !== id),
        )
      ).includes(id)
    )
      roots.push(id);
  return { scope, roots };
}

async function rootUnitIds(db: Tx): Promise<number[]> {
  return (await db.unit.findMany({ where: { parentId: null }, select: { id: true } })).map((u) => u.id);
}

/** An audience within `scope`: its units, or for everyone (none) every root unit. */
async function covers(db: Tx, scope: UnitScope, unitIds: readonly number[]): Promise<boolean> {
  return coversAll(scope, unitIds.length ? unitIds : await rootUnitIds(db));
}

async function unitRefs(db: Tx, ids: readonly number[]): Promise<UnitRef[]> {
  if (ids.length === 0) return [];
  return db.unit.findMany({ where: { id: { in: [...ids] } }, select: { id: true, code: true, name: true }, orderBy: { code: 'asc' } });
}

/**
 * The typed unit codes of an audience, each within the actor's scope; `*` (everyone) only for
 * someone whose scope covers the root units; nothing typed is null (see DocDraft).
 * Bad input, not a permission matter: refused with the reason, not audited.
 */
export async function parseAudience(db: Tx, actor: Actor, text: string): Promise<Result<number[] | null>> {
  const units = await db.unit.findMany({ select: { id: true, code: true } });
  const r = parseAudienceCodes(text, new Map(units.map((u) => [u.code, u.id])));
  if (!r.ok) return refused(`docs:errors.${r.key}`, r.params);
  if (r.value === null) return ok(null);
  const { scope } = await authorScope(db, actor);
  if (r.value.length === 0 && !(await covers(db, scope, []))) return refused('docs:errors.everyone_out_of_scope');
  const outside = r.value.filter((id) => !inScope(scope, id));
  if (outside.length)
    return refused('docs:errors.unit_out_of_scope', {
      value: units
        .filter((u) => outside.includes(u.id))
        .map((u) => u.code)
        .join(', '),
    });
  return ok(r.value);
}

/** Up to three people to ask about a document one may not change: its creator, then who may. */
async function whoMayUpdate(db: Tx, doc: DocView, createdById: number | null, except: number | null): Promise<string[]> {
  let ids: number[] | null = null;
  for (const unitId of doc.units.length ? doc.units.map((u) => u.id) : await rootUnitIds(db)) {
    const above: number[] = await peopleAbove(db, unitId, DOC_ROLES);
    ids = ids === null ? above : ids.filter((id) => above.includes(id));
  }
  const people = await db.person.findMany({
    where: { id: { in: [...(createdById ? [createdById] : []), ...(ids ?? [])].filter((id) => id !== except) } },
    select: { id: true, fullName: true, roles: { select: { role: true } } },
  });
  const rank = (p: (typeof people)[number]) => (p.id === createdById ? 0 : p.roles.some((r) => r.role === 'tuyen_giao') ? 1 : 2);
  return people
    .sort((a, b) => rank(a) - rank(b) || a.fullName.localeCompare(b.fullName, 'vi'))
    .slice(0, 3)
    .map((p) => p.fullName);
}

export interface Plan {
  /** What saving writes: the draft with its audience settled. */
  input: DocInput;
  /** The document with the same number (or, without one, the same title) that saving would update. */
  existing: { doc: DocView; createdById: number | null } | null;
  /** The audience saving writes. */
  units: UnitRef[];
  /** The audience before and after, when an update changes it. */
  audience: { before: UnitRef[]; after: UnitRef[] } | null;
  /** Why the actor may not save it (shown in the preview; saving anyway is refused and audited). */
  refusal: Refusal | null;
}

/** What saving the draft would do, and whether this actor may. */
export async function planDocument(db: Tx, actor: Actor, draft: DocDraft): Promise<Plan> {
  const author = await authorScope(db, actor);
  const existingId = await findSame(db, draft);
  const doc = existingId ? await loadDocument(db, existingId) : null;
  const existing = doc ? { doc, createdById: await documentCreator(db, doc.id) } : null;
  const before = doc?.units.map((u) => u.id) ?? [];
  const unitIds = unique(draft.unitIds ?? (doc ? before : author.roots));
  const input: DocInput = { ...draft, unitIds };
  const units = await unitRefs(db, unitIds);
  const changed = doc !== null && !sameSet(before, unitIds);
  const audience = changed ? { before: doc.units, after: units } : null;
  return { input, existing, units, audience, refusal: await refusalFor(db, actor, author.scope, input, existing, changed) };
}

async function refusalFor(
  db: Tx,
  actor: Actor,
  scope: UnitScope,
  input: DocInput,
  existing: Plan['existing'],
  changed: boolean,
): Promise<Refusal | null> {
  if (actor.kind === 'operator') return null;
  if (!mayTry(docsPolicy.rules.add.who, actor.person)) return forbidden().refusal;
  const outside = async () =>
    forbidden('docs:new.audience_out_of_scope', { value: (await unitRefs(db, input.unitIds)).map((u) => u.code).join(', ') }).refusal;
  if (!existing) return (await covers(db, scope, input.unitIds)) ? null : outside();
  const { doc, createdById } = existing;
  const mine = createdById === actor.person.id;
  if (
    !mine &&
    !(await covers(
      db,
      await scopeOf(db, actor, docsPolicy.rules.update),
      doc.units.map((u) => u.id),
    ))
  ) {
    return forbidden('docs:new.not_yours', {
      number: doc.number ?? doc.title,
      audience: doc.units.map((u) => u.code).join(', '),
      contacts: (await whoMayUpdate(db, doc, createdById, actor.person.id)).join(', '),
    }).refusal;
  }
  // A kept audience is the document's own; a changed one must lie within the author's scope.
  if (changed && !(await covers(db, scope, input.unitIds))) return outside();
  return null;
}

export interface Saved {
  id: number;
  created: boolean;
  title: string;
  audience: Plan['audience'];
}

type Written = Saved & { before?: DocSnapshot; after?: DocSnapshot };

async function writeOne(
  tx: Tx,
  actor: Actor,
  draft: DocDraft,
  opts: { expect?: number | null; auditEach: boolean },
): Promise<Result<Written>> {
  const plan = await planDocument(tx, actor, draft);
  const existingId = plan.existing?.doc.id ?? null;
  // The preview promised a new document, or an update of that one: anything else is shown again.
  if (opts.expect !== undefined && existingId !== opts.expect) return refused('docs:new.changed');
  if (plan.refusal) {
    if (plan.refusal.forbidden) {
      await audit(tx, {
        ...auditActor(actor),
        action: `denied:${existingId ? 'docs.update' : 'docs.add'}`,
        ...(existingId ? { target: `document:${existingId}` } : {}),
      });
    }
    return { ok: false, refusal: plan.refusal };
  }
  const { input } = plan;
  if (plan.existing) {
    const id = plan.existing.doc.id;
    await updateDocument(tx, id, input);
    const before = snapshot(plan.existing.doc);
    const after = snapshot({ ...input, units: plan.units });
    if (opts.auditEach)
      await audit(tx, { ...auditActor(actor), action: 'docs.update', target: `document:${id}`, details: { before, after } });
    return ok({ id, created: false, title: input.title, audience: plan.audience, before, after });
  }
  const id = await createDocument(tx, input, personIdOf(actor));
  const after = snapshot({ ...input, units: plan.units });
  if (opts.auditEach)
    await audit(tx, {
      ...auditActor(actor),
      action: 'docs.add',
      target: `document:${id}`,
      details: { number: input.number, title: input.title, after },
    });
  return ok({ id, created: true, title: input.title, audience: null, after });
}

/** Two saves of one number at once: the second finds the unique key taken. */
// By name and code rather than `instanceof`, so this module does not load the Prisma client.
function isDuplicate(err: unknown): boolean {
  return err instanceof Error && err.name === 'PrismaClientKnownRequestError' && (err as { code?: unknown }).code === 'P2002';
}

/**
 * Adds the document, or updates the one with the same number (or title) when the actor may:
 * its creator, someone with tuyen_giao/admin at or above every unit of it, or the operator.
 * `expect` is the document the preview said would be updated (null: a new one).
 */
export async function saveDocument(
  svc: Services,
  actor: Actor,
  draft: DocDraft,
  opts: { expect?: number | null } = {},
): Promise<Result<Saved>> {
  try {
    return await svc.db.$transaction((tx) => writeOne(tx, actor, draft, { ...opts, auditEach: true }));
  } catch (err) {
    if (isDuplicate(err)) return refused('docs:new.changed');
    throw err;
  }
}

export interface DocsImportSummary {
  created: number;
  updated: number;
}

/**
 * `docs import`: all rows or none. Every bad row is reported with its line; a row that would update
 * a document the actor may not change is a bad row too (and the attempt is audited).
 */
export async function importLibrary(svc: Services, actor: Actor, rows: TableRow[]): Promise<ImportResult<DocsImportSummary>> {
  const parsed = parseDocRows(rows, await docContext(svc.db));
  if (!parsed.ok) return parsed;
  const errors: RowError[] = [];
  for (const { line, doc } of parsed.docs) {
    const plan = await planDocument(svc.db, actor, doc);
    if (!plan.refusal) continue;
    const target = plan.existing ? { target: `document:${plan.existing.doc.id}` } : {};
    await audit(svc.db, { ...auditActor(actor), action: `denied:${plan.existing ? 'docs.update' : 'docs.add'}`, ...target });
    errors.push({ line, key: plan.existing ? 'not_yours' : 'units_not_yours', params: { value: doc.number ?? doc.title } });
  }
  if (errors.length) return { ok: false, errors };

  const summary: DocsImportSummary = { created: 0, updated: 0 };
  const changes: { document: number; before: DocSnapshot; after: DocSnapshot }[] = [];
  await svc.db.$transaction(
    async (tx) => {
      for (const { doc } of parsed.docs) {
        const res = await writeOne(tx, actor, doc, { auditEach: false });
        // Checked above; refused now only if the library changed meanwhile: undo everything.
        if (!res.ok) throw new Error(`docs import: ${res.refusal.key}`);
        if (res.value.created) summary.created++;
        else summary.updated++;
        const { before, after } = res.value;
        if (before && after && JSON.stringify(before) !== JSON.stringify(after)) changes.push({ document: res.value.id, before, after });
      }
      await audit(tx, { ...auditActor(actor), action: 'docs.import', details: { rows: rows.length, ...summary, changes } });
    },
    { timeout: 120_000 },
  );
  return { ok: true, summary };
}
