import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditLog } from '../../application/web/index.js';
import type { Services } from '../../core/services.js';
import { actorOf } from '../plugin.js';
import { page } from '../render.js';
import { fmt } from '../view.js';

const int = z.coerce.number().int().positive().max(2_147_483_647);
const auditQuery = z.object({
  person: int.optional().catch(undefined),
  unit: int.optional().catch(undefined),
  action: z
    .string()
    .max(80)
    .regex(/^[A-Za-z0-9_:.-]+$/)
    .optional()
    .catch(undefined),
  before: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .catch(undefined),
});

/** A row's details, shortened to a line for the table. */
function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  const text = typeof details === 'string' ? details : JSON.stringify(details);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** Nhật ký: the audit log, filtered by person, action and unit (web.audit decides what is shown). */
export async function auditRoutes(web: FastifyInstance, svc: Services): Promise<void> {
  web.get('/audit', async (req, reply) => {
    const actor = actorOf(req);
    const q = auditQuery.parse(req.query ?? {});
    const res = await auditLog(svc, actor, {
      ...(q.person ? { personId: q.person } : {}),
      ...(q.unit ? { unitId: q.unit } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.before ? { before: BigInt(q.before) } : {}),
    });
    if (!res.ok) {
      return page(reply, 'message', {
        actor,
        title: 'audit.title',
        nav: 'audit',
        status: 403,
        data: { text: res.refusal.key, again: '/web/' },
      });
    }
    const base = new URLSearchParams();
    if (q.person) base.set('person', String(q.person));
    if (q.unit) base.set('unit', String(q.unit));
    if (q.action) base.set('action', q.action);
    const older = res.value.older !== null ? `/web/audit?${new URLSearchParams([...base, ['before', String(res.value.older)]])}` : null;
    return page(reply, 'audit', {
      actor,
      title: 'audit.title',
      nav: 'audit',
      data: { fmt: fmt(actor.person.locale, svc.clock.zone), log: res.value, q, older, detailsText },
    });
  });
}
