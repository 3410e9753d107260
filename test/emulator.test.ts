import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegraf, Telegram, TelegramError } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { BotApiEmulator, type EmulatorOptions, type StoredMessage } from '../src/emulator/botApiEmulator.js';

const alice = { id: 1001, first_name: 'Alice', language_code: 'vi' };
const keyboard = (...data: string[]) => ({ inline_keyboard: [data.map((d) => ({ text: d, callback_data: d }))] });

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function setup(opts: EmulatorOptions = {}): Promise<{ emu: BotApiEmulator; tg: Telegram }> {
  const emu = new BotApiEmulator(opts);
  await emu.start();
  running.push(emu);
  return { emu, tg: new Telegram(emu.token, { apiRoot: emu.apiRoot }) };
}

/** Awaits a rejected Bot API call and returns Telegram's error payload. */
async function apiError(call: Promise<unknown>): Promise<TelegramError['response']> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TelegramError);
  return (err as TelegramError).response;
}

describe('BotApiEmulator messaging', () => {
  it('round-trips sendMessage, button press, answerCallbackQuery and edits', async () => {
    const { emu, tg } = await setup();
    const events: Array<[number, string]> = [];
    emu.on('message', (m, kind) => events.push([m.message_id, kind]));

    const sent = await tg.sendMessage(42, '  <b>Hi</b> &amp; &lt;bye&gt;\n', {
      parse_mode: 'HTML',
      reply_markup: keyboard('yes', 'no'),
    });
    expect(sent).toMatchObject({
      message_id: 1,
      chat: { id: 42, type: 'private' },
      from: { is_bot: true, username: 'capuy_test_bot' },
      text: 'Hi & <bye>',
      entities: [{ type: 'bold', offset: 0, length: 2 }],
      reply_markup: keyboard('yes', 'no'),
    });
    expect(sent.date).toBeCloseTo(Date.now() / 1000, -1);

    const stored = emu.lastMessage(42)!;
    expect(stored).toMatchObject({ chat_id: 42, message_id: 1, parse_mode: 'HTML', plainText: 'Hi & <bye>', edits: [] });
    expect((await tg.sendMessage(42, 'second')).message_id).toBe(2);

    const queryId = emu.pressButton(alice, stored, 'yes');
    expect(() => emu.pressButton(alice, stored, 'maybe')).toThrow(/no button with callback_data "maybe"/);
    await expect(tg.answerCbQuery(queryId, 'Saved')).resolves.toBe(true);
    expect(emu.callbackAnswers).toEqual([
      expect.objectContaining({ callback_query_id: queryId, text: 'Saved', show_alert: false, chat_id: 42, message_id: 1, data: 'yes' }),
    ]);
    expect((await apiError(tg.answerCbQuery(queryId))).description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );

    const edited = await tg.editMessageText(42, 1, undefined, '<i>Done</i>', { parse_mode: 'HTML' });
    expect(edited).toMatchObject({ message_id: 1, text: 'Done', entities: [{ type: 'italic', offset: 0, length: 4 }] });
    expect(edited).not.toHaveProperty('reply_markup'); // an edit without reply_markup drops the keyboard
    expect(stored).toMatchObject({ text: '<i>Done</i>', plainText: 'Done', reply_markup: undefined });
    expect(stored.original.plainText).toBe('Hi & <bye>');
    expect(stored.edits).toHaveLength(1);

    const notModified = await apiError(tg.editMessageText(42, 1, undefined, '<i>Done</i>', { parse_mode: 'HTML' }));
    expect(notModified.description).toMatch(/^Bad Request: message is not modified/);
    await tg.editMessageReplyMarkup(42, 1, undefined, keyboard('again'));
    expect(stored.reply_markup).toEqual(keyboard('again'));
    expect(stored.edits.map((e) => e.method)).toEqual(['editMessageText', 'editMessageReplyMarkup']);
    expect((await apiError(tg.editMessageText(42, 99, undefined, 'x'))).description).toBe('Bad Request: message to edit not found');

    await expect(tg.deleteMessage(42, 2)).resolves.toBe(true);
    expect(emu.messagesTo(42)[1]!.deleted).toBe(true);
    expect((await apiError(tg.deleteMessage(42, 2))).description).toBe('Bad Request: message to delete not found');

    expect(events).toEqual([
      [1, 'sent'],
      [2, 'sent'],
      [1, 'edited'],
      [1, 'edited'],
    ]);
    expect(emu.stats.sent).toMatchObject({ sendMessage: 2, editMessageText: 1, editMessageReplyMarkup: 1, answerCallbackQuery: 1 });
  });

  it('links replies and rejects replies to unknown messages', async () => {
    const { emu, tg } = await setup();
    const { message } = emu.sendText(alice, 'question');
    const reply = await tg.sendMessage(alice.id, 'answer', { reply_parameters: { message_id: message.message_id } });
    expect(reply.message_id).toBe(message.message_id + 1); // ids are shared by both directions
    expect(reply.reply_to_message).toMatchObject({ message_id: message.message_id, text: 'question' });
    expect((await apiError(tg.sendMessage(alice.id, 'x', { reply_parameters: { message_id: 77 } }))).description).toBe(
      'Bad Request: message to be replied not found',
    );
  });

  it('stores commands per language and answers getMyCommands', async () => {
    const { emu, tg } = await setup();
    await tg.setMyCommands([{ command: 'start', description: 'Start' }]);
    await tg.setMyCommands([{ command: 'start', description: 'Bắt đầu' }], { language_code: 'vi' });
    expect(emu.commands).toEqual({
      '': [{ command: 'start', description: 'Start' }],
      vi: [{ command: 'start', description: 'Bắt đầu' }],
    });
    expect(await tg.getMyCommands({ language_code: 'vi' })).toEqual([{ command: 'start', description: 'Bắt đầu' }]);
    expect(await tg.getMyCommands({ language_code: 'en' })).toEqual([]);
    expect((await apiError(tg.setMyCommands([{ command: 'Start', description: 'x' }]))).description).toBe(
      'Bad Request: BOT_COMMAND_INVALID',
    );
  });

  it('waitForMessages resolves on arrival and explains timeouts', async () => {
    const { emu, tg } = await setup();
    const waiting = emu.waitForMessages(7, 2, 2000);
    await tg.sendMessage(7, 'one');
    await tg.sendMessage(7, 'two');
    expect((await waiting).map((m: StoredMessage) => m.plainText)).toEqual(['one', 'two']);

    await apiError(tg.sendMessage(7, '<b>broken', { parse_mode: 'HTML' }));
    await expect(emu.waitForMessages(7, 3, 50)).rejects.toThrow(
      /Timed out after 50 ms waiting for 3 message\(s\) to chat 7[\s\S]*1\. #1: "one"[\s\S]*2\. #2: "two"[\s\S]*sendMessage -> 400 Bad Request: can't parse entities/,
    );
  });
});

describe('BotApiEmulator validation', () => {
  it.each([
    ['<b>unclosed', `Can't find end tag corresponding to start tag "b"`],
    ['line<br>break', 'Unsupported start tag "br" at byte offset 4'],
    ['1 < 2', 'Unsupported start tag "" at byte offset 2'],
    ['Tom & Jerry', 'Unescaped "&" (use &amp;) at byte offset 4'],
    ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<a href="https://t.me">x', `Can't find end tag corresponding to start tag "a"`],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['<i>Việt</b>', 'Unmatched end tag at byte offset 9, expected "</i>", found "</b>"'],
  ])('rejects malformed HTML %j', async (html, detail) => {
    const { tg } = await setup();
    const error = await apiError(tg.sendMessage(1, html, { parse_mode: 'HTML' }));
    expect(error).toEqual({ ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${detail}` });
  });

  it('accepts the HTML Telegram accepts and builds entities', async () => {
    const { tg } = await setup();
    const html =
      '<b>b <i>bi</i></b> <a href="https://example.com/?a=1&amp;b=2">link</a> <code>c</code> ' +
      '<pre><code class="language-ts">x</code></pre> <tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote> &#128512;';
    const sent = await tg.sendMessage(1, html, { parse_mode: 'HTML' });
    expect(sent.text).toBe('b bi link c x s q 😀');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'italic', offset: 2, length: 2 },
      { type: 'text_link', offset: 5, length: 4, url: 'https://example.com/?a=1&b=2' },
      { type: 'code', offset: 10, length: 1 },
      { type: 'pre', offset: 12, length: 1, language: 'ts' },
      { type: 'spoiler', offset: 14, length: 1 },
      { type: 'expandable_blockquote', offset: 16, length: 1 },
    ]);
  });

  it('can keep a bare & literally, as real Telegram does', async () => {
    const { tg } = await setup({ strictHtmlAmpersand: false });
    expect((await tg.sendMessage(1, 'Tom & Jerry &laquo;x&raquo;', { parse_mode: 'HTML' })).text).toBe('Tom & Jerry &laquo;x&raquo;');
  });

  it('counts length after entity parsing', async () => {
    const { tg } = await setup();
    await expect(tg.sendMessage(1, '&lt;'.repeat(4096), { parse_mode: 'HTML' })).resolves.toMatchObject({ text: '<'.repeat(4096) });
    expect((await apiError(tg.sendMessage(1, '<b>x</b>'.repeat(4097), { parse_mode: 'HTML' }))).description).toBe(
      'Bad Request: message is too long',
    );
    expect((await apiError(tg.sendMessage(1, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long');
  });

  it('rejects empty text, missing chat_id and oversized callback_data', async () => {
    const { tg } = await setup();
    expect((await apiError(tg.sendMessage(1, ''))).description).toBe('Bad Request: message text is empty');
    expect((await apiError(tg.sendMessage(1, '<b> </b>', { parse_mode: 'HTML' }))).description).toBe('Bad Request: message text is empty');
    expect((await apiError(tg.callApi('sendMessage', { text: 'hi' } as never))).description).toBe('Bad Request: chat_id is empty');
    const longData = 'đ'.repeat(33); // 66 bytes in UTF-8 although only 33 characters
    const error = await apiError(tg.sendMessage(1, 'x', { reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: longData }]] } }));
    expect(error).toEqual({ ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    const textOnly = await apiError(tg.sendMessage(1, 'x', { reply_markup: { inline_keyboard: [[{ text: 'b' } as never]] } }));
    expect(textOnly.description).toBe("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  });
});

describe('BotApiEmulator HTTP surface', () => {
  it('answers 401 for a wrong token and 404 for an unknown method', async () => {
    const { emu } = await setup();
    const wrong = await fetch(`${emu.apiRoot}/bot999:WRONG/getMe`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const unknown = await fetch(`${emu.apiRoot}/bot${emu.token}/sendTelepathy`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
  });

  it('accepts query strings and url-encoded forms', async () => {
    const { emu } = await setup();
    const viaGet = await fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage?chat_id=5&text=hello`);
    expect(await viaGet.json()).toMatchObject({ ok: true, result: { chat: { id: 5 }, text: 'hello' } });
    const viaForm = await fetch(`${emu.apiRoot}/bot${emu.token}/sendmessage`, {
      method: 'POST',
      body: new URLSearchParams({ chat_id: '5', text: '<b>x</b>', parse_mode: 'HTML', reply_markup: JSON.stringify(keyboard('a')) }),
    });
    expect(await viaForm.json()).toMatchObject({ ok: true, result: { text: 'x', reply_markup: keyboard('a') } });
    expect(emu.messagesTo(5).map((m) => m.plainText)).toEqual(['hello', 'x']);
  });
});

describe('BotApiEmulator updates', () => {
  it('holds getUpdates until an update is injected, then confirms by offset', async () => {
    const { emu, tg } = await setup();
    const startedAt = Date.now();
    const polling = tg.getUpdates(10, 100, 0, undefined);
    setTimeout(() => emu.sendText(alice, '/start@capuy_test_bot ref42'), 150);
    const updates = await polling;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      message: {
        text: '/start@capuy_test_bot ref42',
        entities: [{ type: 'bot_command', offset: 0, length: 21 }],
        from: { id: 1001, is_bot: false, first_name: 'Alice', language_code: 'vi' },
        chat: { id: 1001, type: 'private', first_name: 'Alice' },
      },
    });
    // Unconfirmed updates are redelivered; offset = last + 1 confirms them.
    expect(await tg.getUpdates(0, 100, 0, undefined)).toHaveLength(1);
    expect(await tg.getUpdates(0, 100, updates[0]!.update_id + 1, undefined)).toEqual([]);
    expect(emu.pendingUpdates).toHaveLength(0);
  });

  it('returns an empty list when the long poll times out', async () => {
    const { tg } = await setup();
    const startedAt = Date.now();
    expect(await tg.getUpdates(1, 100, 0, undefined)).toEqual([]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
  });

  it('terminates an older long poll with 409 when a second poller arrives', async () => {
    const { tg } = await setup();
    const first = apiError(tg.getUpdates(10, 100, 0, undefined));
    await new Promise((r) => setTimeout(r, 50));
    const second = tg.getUpdates(0, 100, 0, undefined);
    expect((await first).error_code).toBe(409);
    expect(await second).toEqual([]);
  });

  it('delivers updates to a webhook with the secret token, retrying until 200, and runs webhook replies', async () => {
    const { emu, tg } = await setup({ webhookRetryMs: 10 });
    const received: Array<{ headers: IncomingHttpHeaders; body: { update_id: number; message?: { chat: { id: number } } } }> = [];
    const hook = await listen((req, res, body) => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      if (received.length === 1) return void res.writeHead(500).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: 'sendMessage', chat_id: received.at(-1)!.body.message!.chat.id, text: 'via webhook reply' }));
    });

    await expect(tg.setWebhook(hook.url, { secret_token: 's3cret_-' })).resolves.toBe(true);
    expect((await apiError(tg.getUpdates(0, 100, 0, undefined))).error_code).toBe(409);
    const update = emu.sendText(alice, 'hello hook');
    const [reply] = await emu.waitForMessages(alice.id, 1);
    expect(reply!.plainText).toBe('via webhook reply');
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.body.update_id)).toEqual([update.update_id, update.update_id]);
    expect(received[1]!.headers['x-telegram-bot-api-secret-token']).toBe('s3cret_-');
    expect(await tg.getWebhookInfo()).toMatchObject({
      url: hook.url,
      pending_update_count: 0,
      last_error_message: 'Wrong response from the webhook: 500 Internal Server Error',
    });
    await expect(tg.deleteWebhook()).resolves.toBe(true);
    expect((await tg.getWebhookInfo()).url).toBe('');
  });

  it('drives a real Telegraf bot over long polling', async () => {
    const { emu } = await setup();
    const bot = new Telegraf(emu.token, { telegram: { apiRoot: emu.apiRoot } });
    bot.start((ctx) => ctx.reply(`Xin chào, <b>${ctx.from.first_name}</b>!`, { parse_mode: 'HTML', reply_markup: keyboard('ok') }));
    bot.action('ok', async (ctx) => {
      await ctx.answerCbQuery('👍');
      await ctx.editMessageText('Đã xác nhận');
    });
    await new Promise<void>((resolve, reject) => {
      bot.launch(() => resolve()).catch(reject);
    });
    running.push({ stop: async () => bot.stop('test') });

    emu.sendText(alice, '/start');
    const [greeting] = await emu.waitForMessages(alice.id, 1);
    expect(greeting!.plainText).toBe('Xin chào, Alice!');
    const queryId = emu.pressButton(alice, greeting!, 'ok');
    const answer = await emu.waitForCallbackAnswer(queryId);
    expect(answer.text).toBe('👍');
    await emu.waitUntil(() => greeting!.edits.length > 0, 2000, 'the greeting to be edited');
    expect(greeting!.plainText).toBe('Đã xác nhận');
  });
});

describe('BotApiEmulator fault injection and limits', () => {
  it('answers 403 for a blocked chat', async () => {
    const { emu, tg } = await setup();
    emu.blockChat(9);
    expect(await apiError(tg.sendMessage(9, 'hi'))).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    emu.blockChat(-100123);
    expect((await apiError(tg.sendChatAction(-100123, 'typing'))).description).toBe('Forbidden: bot was kicked from the group chat');
    emu.unblockChat(9);
    await expect(tg.sendMessage(9, 'hi again')).resolves.toMatchObject({ text: 'hi again' });
  });

  it('fails the next calls with 500 and 429 + retry_after, then recovers', async () => {
    const { emu, tg } = await setup();
    emu.failNext('sendMessage', 1, { code: 500, description: 'Internal Server Error' });
    emu.failNext('sendMessage', 1, { code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 });
    expect((await apiError(tg.sendMessage(1, 'a'))).error_code).toBe(500);
    expect(await apiError(tg.sendMessage(1, 'b'))).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
    expect((await tg.sendMessage(1, 'c')).text).toBe('c');
    expect(emu.messagesTo(1).map((m) => m.plainText)).toEqual(['c']);
    expect(emu.stats.errors.sendMessage).toBe(2);
  });

  it("holds a request unanswered for a 'timeout' fault, then drops it", async () => {
    const { emu, tg } = await setup({ hangMs: 200 });
    emu.failNext('sendMessage', 1, 'timeout');
    const startedAt = Date.now();
    await expect(tg.sendMessage(1, 'lost')).rejects.toThrow();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(emu.messagesTo(1)).toEqual([]);
  });

  it('fails randomly but deterministically for a given seed', async () => {
    const pattern = async (): Promise<boolean[]> => {
      const { emu, tg } = await setup();
      emu.failRandom('sendMessage', 0.05, { code: 502, description: 'Bad Gateway' }, 42);
      const results: boolean[] = [];
      for (let i = 0; i < 200; i++)
        results.push(
          await tg.sendMessage(1, `m${i}`).then(
            () => true,
            () => false,
          ),
        );
      return results;
    };
    const [first, second] = [await pattern(), await pattern()];
    expect(first).toEqual(second);
    const failures = first.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(25);
  });

  it('rate-limits per private chat, per group and globally with 429 retry_after', async () => {
    const { emu, tg } = await setup({ rateLimit: { global: 5, perChat: 1, perGroupPerMinute: 2 } });
    await tg.sendMessage(1, 'first');
    expect(await apiError(tg.sendMessage(1, 'too soon'))).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    await tg.sendMessage(-5, 'g1');
    await tg.sendMessage(-5, 'g2');
    const group = await apiError(tg.sendMessage(-5, 'g3'));
    expect(group.error_code).toBe(429);
    expect(group.parameters!.retry_after).toBeGreaterThan(50);
    await tg.sendMessage(2, 'x');
    await tg.sendMessage(3, 'x'); // 5th message this second
    expect((await apiError(tg.sendMessage(4, 'x'))).error_code).toBe(429);
    expect(emu.stats.rateLimited).toBe(3);
    expect(emu.stats.sent.sendMessage).toBe(5);
  });

  it('handles thousands of sends cheaply', async () => {
    const { emu, tg } = await setup();
    const startedAt = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < 2000; i = next++) await tg.sendMessage(1 + (i % 50), `msg ${i}`);
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(emu.allMessages()).toHaveLength(2000);
    expect(emu.messagesTo(7)).toHaveLength(40);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});

function listen(
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) => void,
): Promise<{ url: string }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  running.push({
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` }));
  });
}
