import { calendarFeedByToken } from '../application/schedule/view.js';
import type { HttpRoute } from './server.js';

/**
 * GET /lich/<secret>.ics: a person's private schedule calendar, for Google Calendar, Outlook or a
 * phone to subscribe to. A wrong or revoked secret is a plain 404, the same for both.
 */
export const scheduleFeedRoute: HttpRoute = (app, svc) => {
  app.get<{ Params: { file: string } }>('/lich/:file', async (req, reply) => {
    const m = /^(.+)\.ics$/.exec(req.params.file);
    const res = m ? await calendarFeedByToken(svc, m[1]!) : null;
    if (!res?.ok) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    return reply.header('cache-control', 'private, max-age=300').type('text/calendar; charset=utf-8').send(res.value);
  });
};
