import { calendarFeed } from '../domain/schedule/ics.js';
import { personByCalendarToken } from '../domain/schedule/prefs.js';
import { t } from '../i18n.js';
import type { HttpRoute } from './server.js';

/**
 * GET /lich/<secret>.ics: a person's private schedule calendar, for Google Calendar, Outlook or a
 * phone to subscribe to. A wrong or revoked secret is a plain 404, the same for both.
 */
export const scheduleFeedRoute: HttpRoute = (app, svc) => {
  app.get<{ Params: { file: string } }>('/lich/:file', async (req, reply) => {
    const m = /^(.+)\.ics$/.exec(req.params.file);
    const personId = m ? await personByCalendarToken(svc.db, m[1]!) : null;
    const person = personId ? await svc.db.person.findUnique({ where: { id: personId }, select: { locale: true } }) : null;
    if (!personId || !person) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    const tr = t(person.locale);
    const body = await calendarFeed(svc, personId, tr('schedule:ics.cal_name'), tr('schedule:ics.chair'), tr('schedule:ics.participants'));
    return reply.header('cache-control', 'private, max-age=300').type('text/calendar; charset=utf-8').send(body);
  });
};
