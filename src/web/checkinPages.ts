import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import {
  campaignReport,
  campaignsInScope,
  chooseUnit,
  exportForViewer,
  myReports,
  openableUnits,
  openCheckin,
  previewCampaign,
} from '../application/checkin/index.js';
import type { PersonActor } from '../application/actor.js';
import type { Refusal } from '../application/result.js';
import { formatQuarter } from '../core/format.js';
import { htmlToPlain } from '../core/html.js';
import type { Services } from '../core/services.js';
import { exportTables, xlsxBuffer } from '../domain/checkin/export.js';
import { campaignTitle } from '../domain/checkin/messages.js';
import { loadDefaultQuestionnaire } from '../domain/checkin/questionnaire.js';
import { parseDueText } from '../domain/deadlines/time.js';
import { plainT } from '../i18n.js';
import { answerText, questionViews } from './checkinView.js';
import { actorOf } from './plugin.js';
import { page } from './render.js';
import { fmt } from './view.js';

const MAX_ID = 2_147_483_647;
const idParam = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
const UNIT_CHOICES = 200;

/** A refusal as plain text for a page (chat strings may carry <b>; eta escapes what is left). */
export function refusalText(locale: string, r: Refusal): string {
  return htmlToPlain(plainT(locale)(r.key, r.params ?? {}));
}

function quarterOf(dt: DateTime): string {
  return `${dt.year}-Q${Math.ceil(dt.month / 3)}`;
}

/** The periods offered when opening: the quarter before and this one (as /mobaocao). */
function periods(now: DateTime): string[] {
  return [quarterOf(now.minus({ months: 3 })), quarterOf(now)];
}

const openForm = z.object({
  period: z.string().max(10),
  unit: z.coerce.number().int().positive().max(MAX_ID),
  closes: z.string().trim().min(1).max(60),
  confirm: z.literal('1').optional(),
});

/** "Báo cáo quý": campaigns in the person's scope, one campaign's answers and charts, opening one, the XLSX. */
export async function checkinRoutes(web: FastifyInstance, svc: Services): Promise<void> {
  const f = (actor: PersonActor) => fmt(actor.person.locale, svc.clock.zone);

  web.get('/checkin', async (req, reply) => {
    const actor = actorOf(req);
    const res = await campaignsInScope(svc, actor);
    const mine = res.ok ? null : await myReports(svc, actor);
    const units = await openableUnits(svc, actor, { limit: 1 });
    return page(reply, 'checkin-list', {
      actor,
      title: 'checkin.title',
      nav: 'checkin',
      data: {
        fmt: f(actor),
        campaigns: res.ok ? res.value : null,
        mine: mine?.ok ? mine.value : [],
        mayOpen: units.ok && units.value.length > 0,
        titleOf: (c: Parameters<typeof campaignTitle>[0]) => campaignTitle(c, actor.person.locale),
      },
    });
  });

  async function showOpenForm(
    reply: FastifyReply,
    actor: PersonActor,
    values: { period?: string; unit?: number; closes?: string },
    error: string | null,
    status = 200,
  ) {
    const units = await openableUnits(svc, actor, { limit: UNIT_CHOICES });
    if (!units.ok) return message(reply, actor, 403, refusalText(actor.person.locale, units.refusal));
    const now = svc.clock.now();
    return page(reply, 'checkin-open', {
      actor,
      title: 'checkin.open_title',
      nav: 'checkin',
      status,
      data: {
        periods: periods(now).map((p) => ({ value: p, text: formatQuarter(p, actor.person.locale)! })),
        units: units.value,
        values: { period: values.period ?? quarterOf(now), unit: values.unit ?? null, closes: values.closes ?? '' },
        error,
        preview: null,
      },
    });
  }

  web.get('/checkin/open', async (req, reply) => showOpenForm(reply, actorOf(req), {}, null));

  // Two steps, as "/mobaocao": the form posts to a preview (the target chi bộ, checked), the preview's
  // "Mở đợt" posts again with confirm=1 and the same fields; the use case checks everything again.
  web.post('/checkin/open', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const locale = actor.person.locale;
    const t = plainT(locale);
    const form = openForm.safeParse(req.body ?? {});
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const closesText = typeof raw.closes === 'string' ? raw.closes.slice(0, 60) : '';
    if (!form.success) return showOpenForm(reply, actor, { closes: closesText }, t('web:checkin.form_incomplete'), 400);
    const { period, unit, closes } = form.data;
    const now = svc.clock.now();
    if (!periods(now).includes(period)) return showOpenForm(reply, actor, { unit, closes }, t('web:checkin.bad_period'), 400);
    const chosen = await chooseUnit(svc, actor, { unitId: unit });
    if (!chosen.ok) return showOpenForm(reply, actor, { period, closes }, refusalText(locale, chosen.refusal), 400);
    const due = parseDueText(closes, now);
    if (!due.ok) return showOpenForm(reply, actor, { period, unit, closes }, refusalText(locale, { key: 'checkin:open.bad_closes' }), 400);
    if (due.dueAt <= now)
      return showOpenForm(reply, actor, { period, unit, closes }, refusalText(locale, { key: 'checkin:errors.closes_past' }), 400);
    const input = { period, unitCodes: [chosen.value.code], subtree: true };
    if (!form.data.confirm) {
      const preview = await previewCampaign(svc, actor, input);
      if (!preview.ok) return showOpenForm(reply, actor, { period, unit, closes }, refusalText(locale, preview.refusal), 400);
      const qn = loadDefaultQuestionnaire();
      return page(reply, 'checkin-open', {
        actor,
        title: 'checkin.open_title',
        nav: 'checkin',
        data: {
          preview: {
            title: campaignTitle({ period, questionnaire: qn }, locale),
            unit: chosen.value.name,
            count: preview.value.targets.length,
            due: fmt(locale, svc.clock.zone).dateTime(due.dueAt),
            questions: qn.questions.length,
          },
          values: { period, unit, closes },
          error: null,
        },
      });
    }
    const res = await openCheckin(svc, actor, { ...input, closesAt: due.dueAt });
    if (!res.ok) return showOpenForm(reply, actor, { period, unit, closes }, refusalText(locale, res.refusal), 400);
    return reply.redirect(`/web/checkin/${res.value.id}?opened=${res.value.units}&prompted=${res.value.prompted}`, 303);
  });

  web.get<{ Params: { id: string } }>('/checkin/:id', async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    if (!id.success) return message(reply, actor, 404, plainT(actor.person.locale)('web:checkin.not_found'));
    const res = await campaignReport(svc, actor, { campaignId: id.data.id });
    if (!res.ok) return message(reply, actor, 404, refusalText(actor.person.locale, res.refusal));
    const locale = actor.person.locale;
    const t = plainT(locale);
    const q = z
      .object({
        opened: z.coerce.number().int().min(0).optional().catch(undefined),
        prompted: z.coerce.number().int().min(0).optional().catch(undefined),
      })
      .parse(req.query ?? {});
    const s = res.value.summary;
    return page(reply, 'checkin', {
      actor,
      title: 'checkin.title',
      nav: 'checkin',
      data: {
        fmt: f(actor),
        s,
        title: campaignTitle(s.campaign, locale),
        trend: res.value.trend,
        questions: questionViews(res.value, t, locale),
        answer: (qn: Parameters<typeof answerText>[0], r: Parameters<typeof answerText>[1]) => answerText(qn, r, locale),
        flash: q,
      },
    });
  });

  web.get<{ Params: { id: string } }>('/checkin/:id/export.xlsx', async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    if (!id.success) return message(reply, actor, 404, plainT(actor.person.locale)('web:checkin.not_found'));
    const res = await exportForViewer(svc, actor, { campaignId: id.data.id });
    if (!res.ok) return message(reply, actor, 404, refusalText(actor.person.locale, res.refusal));
    const body = await xlsxBuffer(exportTables(res.value, actor.person.locale), actor.person.locale);
    return reply
      .header('content-disposition', `attachment; filename="bao-cao-quy-${id.data.id}.xlsx"`)
      .header('cache-control', 'no-store')
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(body);
  });
}

/** A short page with one sentence (not found, not allowed), in the layout. */
export function message(reply: FastifyReply, actor: PersonActor, status: number, text: string, ns: 'checkin' | 'broadcasts' = 'checkin') {
  const title = `${ns}.${status === 403 ? 'forbidden_title' : 'not_found_title'}`;
  return page(reply, 'notice', { actor, title, nav: ns, status, data: { text, back: `/web/${ns}` } });
}
