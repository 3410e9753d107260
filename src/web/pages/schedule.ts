import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PersonActor } from '../../application/actor.js';
import { addableUnits, ADD_STEPS, createItem, type AddDraft } from '../../application/schedule/add.js';
import { applyEdit, cancelItem, EDIT_FIELDS, openItem, previewEdit, restoreItem } from '../../application/schedule/items.js';
import { importRows } from '../../application/schedule/operator.js';
import { listSchedule } from '../../application/schedule/view.js';
import { answerStep } from '../../application/schedule/add.js';
import { formatDate } from '../../core/format.js';
import type { Services } from '../../core/services.js';
import type { RowError } from '../../domain/imports/errors.js';
import { readTable, TableError, type TableRow } from '../../domain/imports/readTable.js';
import { icsToRows } from '../../domain/schedule/importIcs.js';
import { SCHEDULE_COLUMNS } from '../../domain/schedule/importRows.js';
import { timeRange } from '../../domain/schedule/render.js';
import { daysOf, weekFromKey, weekOf, type Week } from '../../domain/schedule/week.js';
import { actorOf } from '../plugin.js';
import { page } from '../render.js';
import { fmt } from '../view.js';

const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const text = (max: number) => z.string().max(max).optional().default('');
const itemForm = z.object({
  date: text(40),
  time: text(40),
  content: text(2000),
  place: text(1000),
  chair: text(1000),
  participants: text(4000),
});
const addForm = itemForm.extend({ unit: z.coerce.number().int().positive().max(2_147_483_647) });
const editForm = itemForm.extend({ version: z.coerce.number().int().min(0).max(2_147_483_647) });
const versionForm = z.object({ version: z.coerce.number().int().min(0).max(2_147_483_647) });
/** Rows of a previewed file, carried to "Nhập" in a hidden field (checked again there: nothing is trusted). */
const rowsField = z.object({ rows: z.string().max(60_000) });
const rowsSchema = z.array(z.object({ line: z.number().int().min(1), values: z.record(z.string(), z.string().max(4000)) })).max(500);

type Values = z.infer<typeof itemForm>;

/** Schedule messages carry chat markup (<code>); pages show them as plain text. */
export function plain(s: string): string {
  return s.replace(/<[^>]+>/g, '');
}

/** Lịch làm việc tuần: the week, adding, changing, cancelling and importing through the schedule's use cases. */
export async function scheduleRoutes(web: FastifyInstance, svc: Services): Promise<void> {
  const zone = svc.clock.zone;

  web.get('/schedule', async (req, reply) => {
    const actor = actorOf(req);
    const key = z
      .object({ week: z.string().max(10).optional().catch(undefined), done: z.string().max(20).optional().catch(undefined) })
      .parse(req.query ?? {});
    const week: Week = (key.week && weekFromKey(key.week, zone)) || weekOf(svc.clock.now(), zone);
    const res = await listSchedule(svc, actor, { from: week.start, to: week.end });
    const list = res.ok ? res.value : { items: [], editableIds: [], ownUnitIds: [] };
    const units = await addableUnits(svc, actor);
    return page(reply, 'schedule', {
      actor,
      title: 'schedule.title',
      nav: 'schedule',
      data: {
        fmt: fmt(actor.person.locale, zone),
        week,
        days: daysOf(week).map((d) => ({ day: d, items: list.items.filter((i) => i.startsAt.hasSame(d, 'day')) })),
        prev: weekOf(week.start.minus({ days: 1 }), zone).key,
        next: weekOf(week.end, zone).key,
        current: weekOf(svc.clock.now(), zone).key,
        editable: new Set(list.editableIds),
        canAdd: units.ok,
        timeRange,
        done: key.done,
      },
    });
  });

  // ---- add ----
  web.get('/schedule/new', async (req, reply) => {
    const actor = actorOf(req);
    const units = await addableUnits(svc, actor);
    if (!units.ok) return refusal(reply, actor, units.refusal.key, 403);
    return form(reply, actor, { units: units.value, values: { unit: units.value[0]!.id } });
  });

  web.post('/schedule/new', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const units = await addableUnits(svc, actor);
    if (!units.ok) return refusal(reply, actor, units.refusal.key, 403);
    const f = addForm.safeParse(req.body ?? {});
    if (!f.success) return form(reply, actor, { units: units.value, values: {}, error: 'web:schedule.bad_form', status: 400 });
    // The same steps as /themlich, one answer each; the first refusal is shown and nothing is saved.
    let draft: AddDraft = { unitId: f.data.unit, step: 'date' };
    for (const step of ADD_STEPS) {
      if (step === 'preview') break;
      const r = await answerStep(svc, actor, draft, f.data[step] || (step === 'content' || step === 'date' || step === 'time' ? '' : '-'));
      if (!r.ok) return form(reply, actor, { units: units.value, values: f.data, error: r.refusal, field: step, status: 400 });
      draft = r.value;
    }
    const saved = await createItem(svc, actor, draft);
    if (!saved.ok) return form(reply, actor, { units: units.value, values: f.data, error: saved.refusal, status: 400 });
    svc.kick();
    const key = weekOf(DateTime.fromISO(draft.date!, { zone }), zone).key;
    return reply.redirect(`/web/schedule?week=${key}&done=added`, 303);
  });

  // ---- one item: change, cancel, restore ----
  web.get<{ Params: { id: string } }>('/schedule/items/:id', async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    if (!id.success) return refusal(reply, actor, 'schedule:edit.not_found', 404);
    return itemPage(req, reply, actor, id.data.id);
  });

  web.post<{ Params: { id: string } }>('/schedule/items/:id', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    const f = editForm.safeParse(req.body ?? {});
    if (!id.success || !f.success) return refusal(reply, actor, 'web:schedule.bad_form', 400);
    const card = await openItem(svc, actor, id.data.id);
    if (!card.ok) return refusal(reply, actor, card.refusal.key, card.refusal.forbidden ? 403 : 404);
    const item = card.value.item;
    if (item.version !== f.data.version)
      return itemPage(req, reply, actor, id.data.id, { error: { key: 'schedule:edit.stale' }, values: f.data });
    const now: Values = valuesOf(item);
    // Each changed field is one change, as when editing from chat (each one checked and noticed the same way).
    let version = item.version;
    let changed = 0;
    for (const field of EDIT_FIELDS) {
      if (norm(f.data[field]) === norm(now[field])) continue;
      const value = f.data[field] || (field === 'content' ? '' : '-');
      const p = await previewEdit(svc, actor, { id: item.id, version, field }, value);
      if (!p.ok) return itemPage(req, reply, actor, id.data.id, { error: p.refusal, values: f.data, field, status: 400 });
      const done = await applyEdit(svc, actor, p.value.pending);
      if (!done.ok) return itemPage(req, reply, actor, id.data.id, { error: done.refusal, values: f.data, field, status: 400 });
      if (done.value.changed) {
        changed++;
        version++;
      }
    }
    if (changed) svc.kick();
    return reply.redirect(`/web/schedule/items/${item.id}?done=${changed ? 'changed' : 'unchanged'}`, 303);
  });

  for (const action of ['cancel', 'restore'] as const) {
    web.post<{ Params: { id: string } }>(`/schedule/items/:id/${action}`, { preValidation: web.csrfProtection }, async (req, reply) => {
      const actor = actorOf(req);
      const id = idParam.safeParse(req.params);
      const f = versionForm.safeParse(req.body ?? {});
      if (!id.success || !f.success) return refusal(reply, actor, 'web:schedule.bad_form', 400);
      const res =
        action === 'cancel'
          ? await cancelItem(svc, actor, id.data.id, f.data.version)
          : await restoreItem(svc, actor, id.data.id, f.data.version);
      if (!res.ok) {
        if (res.refusal.forbidden || res.refusal.key === 'schedule:edit.not_found')
          return refusal(reply, actor, res.refusal.key, res.refusal.forbidden ? 403 : 404);
        return itemPage(req, reply, actor, id.data.id, { error: res.refusal, status: 409 });
      }
      if (res.value.changed) svc.kick();
      return reply.redirect(`/web/schedule/items/${id.data.id}?done=${action === 'cancel' ? 'cancelled' : 'restored'}`, 303);
    });
  }

  // ---- import: upload, preview (a dry run), then apply ----
  web.get('/schedule/import', async (req, reply) => {
    const actor = actorOf(req);
    return importPage(reply, actor, {});
  });

  web.post('/schedule/import', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const upload = await readUpload(req, svc);
    if (!upload.ok) return importPage(reply, actor, { error: upload.error, status: 400 });
    const { rows } = upload;
    if (upload.errors.length) return importPage(reply, actor, { rows, result: { ok: false, errors: upload.errors }, status: 422 });
    const res = await importRows(svc, actor, rows, { dryRun: true });
    if (!res.ok) return refusal(reply, actor, res.refusal.key, 403);
    return importPage(reply, actor, {
      rows,
      result: res.value,
      carry: JSON.stringify(rows),
      status: res.value.ok ? 200 : 422,
    });
  });

  web.post('/schedule/import/apply', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const f = rowsField.safeParse(req.body ?? {});
    let rows: TableRow[] | null = null;
    if (f.success) {
      try {
        const parsed = rowsSchema.safeParse(JSON.parse(f.data.rows));
        if (parsed.success) rows = parsed.data;
      } catch {
        rows = null;
      }
    }
    if (!rows) return importPage(reply, actor, { error: 'web:schedule.import.bad_file', status: 400 });
    const res = await importRows(svc, actor, rows);
    if (!res.ok) return refusal(reply, actor, res.refusal.key, 403);
    if (!res.value.ok) return importPage(reply, actor, { rows, result: res.value, carry: JSON.stringify(rows), status: 422 });
    svc.kick();
    return importPage(reply, actor, { applied: res.value.summary });
  });

  async function itemPage(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: PersonActor,
    id: number,
    opts: { error?: { key: string; params?: Record<string, string | number> }; values?: Values; field?: string; status?: number } = {},
  ) {
    const card = await openItem(svc, actor, id);
    if (!card.ok) return refusal(reply, actor, card.refusal.key, card.refusal.forbidden ? 403 : 404);
    const done = z
      .object({ done: z.enum(['changed', 'unchanged', 'cancelled', 'restored']).optional().catch(undefined) })
      .parse(req.query ?? {}).done;
    const item = card.value.item;
    return page(reply, 'schedule_item', {
      actor,
      title: 'schedule.item_title',
      nav: 'schedule',
      status: opts.status ?? 200,
      data: {
        fmt: fmt(actor.person.locale, zone),
        card: card.value,
        week: weekOf(item.startsAt, zone).key,
        values: opts.values ?? valuesOf(item),
        error: opts.error ?? null,
        field: opts.field ?? null,
        done,
        timeRange,
        plain,
      },
    });
  }
}

function valuesOf(item: Parameters<typeof timeRange>[0] & { content: string; place: string; chair: string; participants: string }): Values {
  return {
    date: formatDate(item.startsAt),
    time: timeRange(item),
    content: item.content,
    place: item.place,
    chair: item.chair,
    participants: item.participants,
  };
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ');

function refusal(reply: FastifyReply, actor: PersonActor, key: string, status: number) {
  return page(reply, 'message', {
    actor,
    title: 'schedule.title',
    nav: 'schedule',
    status,
    data: { text: key, again: '/web/schedule', plain },
  });
}

function form(
  reply: FastifyReply,
  actor: PersonActor,
  opts: {
    units: { id: number; name: string }[];
    values: Partial<Values & { unit: number }>;
    error?: string | { key: string; params?: Record<string, string | number> };
    field?: string;
    status?: number;
  },
) {
  const error = typeof opts.error === 'string' ? { key: opts.error } : (opts.error ?? null);
  return page(reply, 'schedule_new', {
    actor,
    title: 'schedule.new_title',
    nav: 'schedule',
    status: opts.status ?? 200,
    data: { units: opts.units, values: opts.values, error, field: opts.field ?? null, plain },
  });
}

function importPage(
  reply: FastifyReply,
  actor: PersonActor,
  opts: {
    error?: string;
    rows?: TableRow[];
    result?: { ok: true; summary: unknown } | { ok: false; errors: RowError[] };
    carry?: string;
    applied?: unknown;
    status?: number;
  },
) {
  return page(reply, 'schedule_import', {
    actor,
    title: 'schedule.import.title',
    nav: 'schedule',
    status: opts.status ?? 200,
    data: { columns: SCHEDULE_COLUMNS, ...opts, plain },
  });
}

/**
 * The uploaded file (multipart, parsed by the plugin into `file` and `unit`) as table rows, or the polite
 * reason why not. The kind is read from the content: an XLSX is a zip ("PK"), an ICS begins a VCALENDAR.
 */
async function readUpload(
  req: FastifyRequest,
  svc: Services,
): Promise<{ ok: true; rows: TableRow[]; errors: RowError[] } | { ok: false; error: string }> {
  if (!req.isMultipart()) return { ok: false, error: 'web:schedule.import.no_file' };
  const body = (req.body ?? {}) as { file?: unknown; unit?: unknown };
  const buf = Buffer.isBuffer(body.file) ? body.file : null;
  const unit = typeof body.unit === 'string' ? body.unit.trim().toUpperCase() : '';
  if (!buf || buf.length === 0) return { ok: false, error: 'web:schedule.import.no_file' };
  const head = buf
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/^\s*BEGIN:VCALENDAR/i.test(head)) {
    if (!/^[A-Z0-9_-]{1,40}$/.test(unit)) return { ok: false, error: 'web:schedule.import.ics_unit' };
    const parsed = icsToRows(buf.toString('utf8'), svc.clock.zone, unit);
    return { ok: true, rows: parsed.rows, errors: parsed.errors };
  }
  const ext = buf[0] === 0x50 && buf[1] === 0x4b ? 'xlsx' : 'csv';
  const dir = await mkdtemp(join(tmpdir(), 'capuy-web-'));
  try {
    const path = join(dir, `upload.${ext}`);
    await writeFile(path, buf);
    return { ok: true, rows: await readTable(path, SCHEDULE_COLUMNS), errors: [] };
  } catch (err) {
    return { ok: false, error: err instanceof TableError ? 'web:schedule.import.bad_columns' : 'web:schedule.import.bad_file' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
