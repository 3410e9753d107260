import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { personActor } from '../application/actor.js';
import { requestSignIn } from '../application/web/index.js';
import { loadPerson } from '../domain/people.js';
import { asLocale, plainT as translate, type Locale } from '../i18n.js';
import { formatClock, shortcuts } from './clockPanel.js';
import { renderPage } from './page.js';
import { findActor, listPeople } from './people.js';
import type { SandboxControl } from './sandbox.js';
import { entryView } from './views.js';

const textBody = z.object({ text: z.string().trim().min(1, 'empty_text').max(4096, 'too_long') });
const pressBody = z.object({ messageId: z.number().int().positive(), data: z.string().min(1).max(64) });
const clockBody = z.object({
  id: z.string().max(40).default('set'),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'bad_time')
    .optional(),
});

/**
 * The sandbox page and its API: who is who, their chats, acting as them, the clock, reset, and a
 * Server-Sent Events stream of everything that happens.
 */
export async function sandboxRoutes(http: FastifyInstance, control: SandboxControl): Promise<void> {
  const streams = new Set<ServerResponse>();
  // Open event streams would keep the server from closing (shutdown and reset restart it).
  http.addHook('preClose', (done) => {
    for (const s of streams) s.end();
    done();
  });

  http.get('/', async (req, reply) => {
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return renderPage(localeOf(req));
  });
  http.get('/sandbox', async (_req, reply) => reply.redirect('/'));

  http.get('/sandbox/api/state', async (req) => {
    const locale = localeOf(req);
    const { emulator } = control;
    const commands = emulator.commands[locale] ?? emulator.commands[''] ?? [];
    return {
      generation: control.generation(),
      zone: control.config.APP_TIMEZONE,
      bot: { name: emulator.botInfo.first_name, username: emulator.botInfo.username },
      clock: clockView(control, locale),
      people: await listPeople(control.db(), translate(locale)),
      commands,
    };
  });

  http.get<{ Params: { userId: string } }>('/sandbox/api/chats/:userId', async (req, reply) => {
    const locale = localeOf(req);
    const actor = findActor(Number(req.params.userId));
    if (!actor) return fail(reply, locale, 'unknown_person', 404);
    return { entries: control.transcript.entries(actor.id).map((e) => entryView(e, control.config.APP_TIMEZONE, locale)) };
  });

  http.post<{ Params: { userId: string } }>('/sandbox/api/chats/:userId/text', async (req, reply) => {
    const locale = localeOf(req);
    const actor = findActor(Number(req.params.userId));
    if (!actor) return fail(reply, locale, 'unknown_person', 404);
    const body = textBody.safeParse(req.body);
    if (!body.success) return fail(reply, locale, body.error.issues[0]!.message);
    const update = control.emulator.sendText(actor.user, body.data.text);
    return { ok: true, messageId: update.message.message_id };
  });

  // "Bảng điều hành": a sign-in link for the demo person, as /web would give them (they must be linked).
  http.post<{ Params: { userId: string } }>('/sandbox/api/chats/:userId/web', async (req, reply) => {
    const locale = localeOf(req);
    const actor = findActor(Number(req.params.userId));
    if (!actor) return fail(reply, locale, 'unknown_person', 404);
    const db = control.db();
    const chat = await db.chatIdentity.findFirst({
      where: { channel: 'telegram', chatId: String(actor.id), active: true, personId: { not: null } },
      select: { personId: true },
    });
    const person = chat?.personId ? await loadPerson(db, chat.personId) : null;
    if (!person) return fail(reply, locale, 'web_unlinked');
    const res = await requestSignIn({ db, clock: control.clock }, personActor(person, 'sandbox'));
    if (!res.ok) return fail(reply, locale, 'web_unlinked');
    return { ok: true, url: `/web/login/${res.value.token}` };
  });

  http.post<{ Params: { userId: string } }>('/sandbox/api/chats/:userId/press', async (req, reply) => {
    const locale = localeOf(req);
    const actor = findActor(Number(req.params.userId));
    if (!actor) return fail(reply, locale, 'unknown_person', 404);
    const body = pressBody.safeParse(req.body);
    if (!body.success) return fail(reply, locale, 'stale_button');
    try {
      control.emulator.pressButton(actor.user, { chat_id: actor.id, message_id: body.data.messageId }, body.data.data);
    } catch {
      return fail(reply, locale, 'stale_button');
    }
    return { ok: true };
  });

  http.post<{ Params: { userId: string } }>('/sandbox/api/chats/:userId/contact', async (req, reply) => {
    const locale = localeOf(req);
    const actor = findActor(Number(req.params.userId));
    if (!actor) return fail(reply, locale, 'unknown_person', 404);
    const update = control.emulator.sendContact(actor.user, { phone_number: actor.phone, user_id: actor.id });
    return { ok: true, messageId: update.message.message_id };
  });

  http.post('/sandbox/api/clock', async (req, reply) => {
    const locale = localeOf(req);
    const body = clockBody.safeParse(req.body ?? {});
    if (!body.success) return fail(reply, locale, 'bad_time');
    const moved = await control.moveClock(body.data.id, body.data.to);
    if (!moved) return fail(reply, locale, body.data.to ? 'bad_time' : 'past_moment');
    return { ok: true, clock: clockView(control, locale) };
  });

  http.post('/sandbox/api/reset', async (req, reply) => {
    // The reset stops this server, so it starts only once this answer has left.
    reply.raw.once('close', () => control.requestReset());
    return reply.code(202).send({ ok: true, message: translate(localeOf(req))('sandbox:page.resetting') });
  });

  http.get('/sandbox/api/events', (req, reply) => {
    const locale = localeOf(req);
    const zone = control.config.APP_TIMEZONE;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown): void => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 700\n\n');
    send('hello', { generation: control.generation() });

    const { transcript, events } = control;
    const onEntry: Parameters<typeof transcript.on<'entry'>>[1] = (chatId, entry, change) =>
      send('entry', { chatId, change, entry: entryView(entry, zone, locale) });
    const onToast: Parameters<typeof transcript.on<'toast'>>[1] = (chatId, text, alert) => send('toast', { chatId, text, alert });
    const onClock = (): void => send('clock', clockView(control, locale));
    const onReset = (generation: number): void => send('reset', { generation });
    transcript.on('entry', onEntry);
    transcript.on('toast', onToast);
    events.on('clock', onClock);
    events.on('reset', onReset);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    streams.add(res);
    res.once('close', () => {
      clearInterval(ping);
      streams.delete(res);
      transcript.off('entry', onEntry);
      transcript.off('toast', onToast);
      events.off('clock', onClock);
      events.off('reset', onReset);
    });
  });
}

function localeOf(req: FastifyRequest): Locale {
  return asLocale((req.query as { lang?: string } | undefined)?.lang);
}

function clockView(control: SandboxControl, locale: Locale) {
  const now = control.clock.now();
  return {
    iso: now.toFormat("yyyy-MM-dd'T'HH:mm"),
    label: formatClock(now, locale),
    shortcuts: shortcuts(now, control.moments(), translate(locale)),
  };
}

function fail(reply: FastifyReply, locale: Locale, key: string, code = 400) {
  return reply.code(code).send({ ok: false, error: translate(locale)(`sandbox:errors.${key}`) });
}
