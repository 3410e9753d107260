import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { summaryFor } from '../application/checkin/index.js';
import { myReports } from '../application/checkin/index.js';
import { checkinPolicy } from '../application/checkin/policy.js';
import { listBroadcasts } from '../application/broadcasts/stats.js';
import { board, deadlineBoard, remindLate } from '../application/deadlines/index.js';
import { mayTryRule } from '../application/policy.js';
import { listSchedule } from '../application/schedule/view.js';
import { mayViewOutbox, outboxHealth } from '../application/web/index.js';
import type { Services } from '../core/services.js';
import { weekOf } from '../domain/schedule/week.js';
import { deadlineTable, toCsv, toXlsx } from './exports.js';
import { actorOf } from './plugin.js';
import { auditRoutes } from './pages/audit.js';
import { docsRoutes } from './pages/docs.js';
import { orgRoutes } from './pages/org.js';
import { scheduleRoutes } from './pages/schedule.js';
import { page } from './render.js';
import { fmt } from './view.js';

const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const FILTERS = ['all', 'late', 'reported'] as const;
const deadlineQuery = z.object({
  filter: z.enum(FILTERS).catch('all'),
  reminded: z.coerce.number().int().min(0).optional().catch(undefined),
  already: z.coerce.number().int().min(0).optional().catch(undefined),
  error: z
    .string()
    .max(80)
    .regex(/^[a-z_:.]+$/)
    .optional()
    .catch(undefined),
});
const remindForm = z.object({ unit: z.coerce.number().int().positive().max(2_147_483_647).optional() });

/** The dashboard's pages; each calls the features' use cases with the signed-in person as the actor. */
export async function pageRoutes(web: FastifyInstance, svc: Services): Promise<void> {
  await auditRoutes(web, svc);
  await scheduleRoutes(web, svc);
  await docsRoutes(web, svc);
  await orgRoutes(web, svc);
  web.get('/', async (req, reply) => {
    const actor = actorOf(req);
    const now = svc.clock.now();
    const week = weekOf(now, svc.clock.zone);
    const deadlines = await board(svc, actor);
    const checkin = mayTryRule(checkinPolicy.rules.summary, actor.person) ? await summaryFor(svc, actor, {}) : null;
    const reports = checkin ? null : await myReports(svc, actor);
    const schedule = await listSchedule(svc, actor, { from: week.start, to: week.end });
    const broadcasts = await listBroadcasts(svc, actor);
    const outbox = mayViewOutbox(actor) ? await outboxHealth(svc, actor) : null;
    return page(reply, 'overview', {
      actor,
      title: 'overview.title',
      nav: 'overview',
      data: {
        fmt: fmt(actor.person.locale, svc.clock.zone),
        now,
        week,
        deadlines,
        checkin: checkin?.ok ? checkin.value.summary : null,
        reports: reports?.ok ? reports.value : [],
        schedule: schedule.ok ? schedule.value.items : [],
        broadcasts: broadcasts.ok ? broadcasts.value.slice(0, 5) : [],
        outbox: outbox?.ok ? outbox.value : null,
      },
    });
  });

  web.get<{ Params: { id: string } }>('/deadlines/:id', async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    if (!id.success) return notFound(reply, actor);
    const q = deadlineQuery.parse(req.query ?? {});
    const res = await deadlineBoard(svc, actor, { deadlineId: id.data.id });
    if (!res.ok) return notFound(reply, actor, res.refusal.key);
    const rows = res.value.rows.filter((r) => (q.filter === 'late' ? r.late : q.filter === 'reported' ? !!r.reportedAt : true));
    return page(reply, 'deadline', {
      actor,
      title: 'deadline.title',
      nav: 'overview',
      data: { fmt: fmt(actor.person.locale, svc.clock.zone), d: res.value, rows, filter: q.filter, filters: FILTERS, flash: q },
    });
  });

  web.post<{ Params: { id: string } }>('/deadlines/:id/remind', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    const form = remindForm.safeParse(req.body ?? {});
    if (!id.success || !form.success) return notFound(reply, actor);
    const res = await remindLate(svc, actor, { deadlineId: id.data.id, ...(form.data.unit ? { unitIds: [form.data.unit] } : {}) });
    const back = `/web/deadlines/${id.data.id}`;
    if (!res.ok) return reply.redirect(`${back}?error=${encodeURIComponent(res.refusal.key)}`, 303);
    return reply.redirect(`${back}?reminded=${res.value.units}&already=${res.value.already}`, 303);
  });

  web.get<{ Params: { id: string; ext: string } }>('/deadlines/:id/export.:ext', async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    const ext = req.params.ext;
    if (!id.success || (ext !== 'csv' && ext !== 'xlsx')) return notFound(reply, actor);
    const res = await deadlineBoard(svc, actor, { deadlineId: id.data.id });
    if (!res.ok) return notFound(reply, actor, res.refusal.key);
    const table = deadlineTable(res.value, actor.person.locale, svc.clock.zone);
    const name = `han-bao-cao-${id.data.id}.${ext}`;
    reply.header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
    if (ext === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(table));
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(table, actor.person.locale));
  });
}

function notFound(reply: FastifyReply, actor: ReturnType<typeof actorOf>, key = 'deadlines:board.not_found') {
  return page(reply, 'message', { actor, title: 'deadline.not_found_title', status: 404, data: { text: key, again: '/web/' } });
}
