import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { PersonActor } from '../../application/actor.js';
import { importPeopleFile, previewPeopleImport, syncPeopleFile } from '../../application/people/import.js';
import { peoplePolicy } from '../../application/people/policy.js';
import { mayTryRule } from '../../application/policy.js';
import { orgTree } from '../../application/web/index.js';
import type { Services } from '../../core/services.js';
import { PEOPLE_COLUMNS } from '../../domain/imports/people.js';
import type { TableRow } from '../../domain/imports/readTable.js';
import { actorOf } from '../plugin.js';
import { page } from '../render.js';
import { carriedRows, multipartBody, uploadedTable } from '../upload.js';

const unitQuery = z.object({ unit: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined) });
const mode = z.enum(['add', 'sync']).catch('add');
const unitCode = z
  .string()
  .trim()
  .max(40)
  .regex(/^[A-Za-z0-9_-]*$/)
  .catch('');

/** Tổ chức: the org tree (web.org), and the roster upload with its dry run (people.import / people.sync). */
export async function orgRoutes(web: FastifyInstance, svc: Services): Promise<void> {
  web.get('/org', async (req, reply) => {
    const actor = actorOf(req);
    const q = unitQuery.parse(req.query ?? {});
    const res = await orgTree(svc, actor, q.unit ? { unitId: q.unit } : {});
    if (!res.ok) return message(reply, actor, res.refusal.key, 403);
    return page(reply, 'org', {
      actor,
      title: 'org.title',
      nav: 'org',
      data: { org: res.value, canImport: mayTryRule(peoplePolicy.rules.import, actor.person) },
    });
  });

  web.get('/org/roster', async (req, reply) => rosterPage(reply, actorOf(req), {}));

  web.post('/org/roster', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const body = multipartBody(req);
    const how = { mode: mode.parse(body.mode), unit: unitCode.parse(body.unit ?? '') };
    const table = await uploadedTable(req, PEOPLE_COLUMNS);
    if (!table.ok) return rosterPage(reply, actor, { error: table.error, how, status: 400 });
    return preview(reply, actor, table.rows, how);
  });

  web.post('/org/roster/apply', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const body = multipartBody(req);
    const how = { mode: mode.parse(body.mode), unit: unitCode.parse(body.unit ?? '') };
    const rows = carriedRows(body.rows);
    if (!rows) return rosterPage(reply, actor, { error: 'web:org.upload.bad_file', how, status: 400 });
    if (how.mode === 'sync') {
      const res = await syncPeopleFile(svc, actor, { rows, apply: true, ...(how.unit ? { unitCode: how.unit } : {}) });
      if (!res.ok) return rosterPage(reply, actor, { refusal: res.refusal, how, status: res.refusal.forbidden ? 403 : 400 });
      if (res.value.kind === 'rejected') return rosterPage(reply, actor, { errors: res.value.errors, how, status: 422 });
      svc.kick();
      return rosterPage(reply, actor, { applied: res.value.kind === 'applied' ? res.value.summary : null, how });
    }
    const res = await importPeopleFile(svc, actor, { rows });
    if (!res.ok) return rosterPage(reply, actor, { refusal: res.refusal, how, status: res.refusal.forbidden ? 403 : 400 });
    if (res.value.kind === 'rejected') return rosterPage(reply, actor, { errors: res.value.errors, how, status: 422 });
    return rosterPage(reply, actor, { applied: res.value.summary, how });
  });

  async function preview(reply: FastifyReply, actor: PersonActor, rows: TableRow[], how: { mode: 'add' | 'sync'; unit: string }) {
    const res =
      how.mode === 'sync'
        ? await syncPeopleFile(svc, actor, { rows, apply: false, ...(how.unit ? { unitCode: how.unit } : {}) })
        : await previewPeopleImport(svc, actor, { rows });
    if (!res.ok) return rosterPage(reply, actor, { refusal: res.refusal, how, status: res.refusal.forbidden ? 403 : 400 });
    if (res.value.kind === 'rejected') return rosterPage(reply, actor, { errors: res.value.errors, how, status: 422 });
    if (res.value.kind !== 'plan') return rosterPage(reply, actor, { how });
    return rosterPage(reply, actor, { plan: res.value.plan, carry: JSON.stringify(rows), how });
  }
}

function message(reply: FastifyReply, actor: PersonActor, key: string, status: number) {
  return page(reply, 'message', { actor, title: 'org.title', nav: 'org', status, data: { text: key, again: '/web/' } });
}

function rosterPage(reply: FastifyReply, actor: PersonActor, opts: Record<string, unknown> & { status?: number }) {
  const { status, ...data } = opts;
  return page(reply, 'org_roster', {
    actor,
    title: 'org.roster.title',
    nav: 'org',
    status: status ?? 200,
    data: {
      columns: PEOPLE_COLUMNS,
      how: { mode: 'add', unit: '' },
      canImport: mayTryRule(peoplePolicy.rules.import, actor.person),
      ...data,
    },
  });
}
