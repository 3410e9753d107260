import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../commands/index.js';
import type { Feature } from '../../commands/types.js';
import { CHOICES, closeChoices, presentChoices, readChoice, type ChoiceChat } from '../../src/channels/choices.js';
import { configSchema } from '../../src/config.js';
import { SystemClock } from '../../src/core/clock.js';
import type { IncomingMessage, OutgoingMessage, Reply } from '../../src/core/messages.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';

/**
 * Numbered choices, the way the Zalo adapter will use them: present a message's buttons as numbers,
 * read a typed number back into the button press and hand it to the real router.
 */
describe('numbered choices', () => {
  let database: Database;
  let svc: Services;
  const pressed: { args: string[]; ref?: string; chat: string }[] = [];
  const answered: string[] = [];
  const testFeature: Feature = {
    buttons: [
      {
        prefix: 'tst',
        access: 'linked',
        run: async (ctx, args) =>
          void pressed.push({ args, chat: ctx.msg.chat.id, ...(ctx.msg.messageRef ? { ref: ctx.msg.messageRef } : {}) }),
      },
    ],
    flows: [{ name: 'tst.ask', access: 'linked', onText: async (_ctx, text) => void answered.push(text) }],
  };
  const router = createRouter([testFeature]);
  const now = () => new Date();

  beforeAll(async () => {
    database = await openTestDatabase();
    const config = configSchema.parse({ LOG_LEVEL: 'silent' });
    await importFixtureOrg(database, config);
    svc = {
      db: database.prisma,
      config,
      clock: new SystemClock(config.APP_TIMEZONE),
      log: createLogger('silent'),
      botUsername: 'b',
      kick: () => undefined,
    };
    const person = await database.prisma.person.findUniqueOrThrow({ where: { phone: '+84913222333' } });
    for (const chatId of ['a1', 'a2', 'a3', 'a4', 'a5'])
      await database.prisma.chatIdentity.create({ data: { channel: 'zalo', chatId, personId: person.id } });
  });
  afterAll(() => database?.close());

  const chat = (chatId: string): ChoiceChat => ({ channel: 'zalo', chatId });
  const textIn = (chatId: string, text: string): IncomingMessage => ({
    channel: 'zalo',
    chat: { id: chatId, isGroup: false },
    sender: { id: chatId, name: 'Hạnh' },
    kind: 'text',
    text,
  });
  const msg = (...data: string[]): OutgoingMessage => ({
    text: 'Câu hỏi',
    buttons: [data.map((d) => ({ text: `Nút ${d}`, data: `tst:${d}` }))],
  });

  /** What the adapter does with an incoming message; returns what the person was told. */
  async function receive(incoming: IncomingMessage): Promise<string[]> {
    const told: string[] = [];
    const reply: Reply = {
      send: async (m) => (told.push(m.text), String(told.length)),
      edit: async (m) => void told.push(m.text),
      notify: async (t) => void (t && told.push(t)),
    };
    const reading = await readChoice(svc.db, incoming, now());
    if (reading.kind === 'hint') told.push(reading.text);
    else await router.handle(svc, reading.kind === 'press' ? reading.message : incoming, reply);
    return told;
  }

  it('ends the text with "N — label" lines, a url button as a link line, and escapes labels', async () => {
    const shown = await presentChoices(
      svc.db,
      chat('a1'),
      {
        text: '<b>Hạn nộp</b>',
        buttons: [
          [
            { text: 'Đã nộp', data: 'tst:done' },
            { text: 'Xem <chi tiết>', data: 'tst:see' },
          ],
          [{ text: 'Tải mẫu', url: 'https://example.invalid/mau?a=1&b=2' }],
        ],
      },
      { now: now() },
    );
    expect(shown.numbers).toEqual([1, 2]);
    expect(shown.text).toBe('<b>Hạn nộp</b>\n\n1 — Đã nộp\n2 — Xem &lt;chi tiết&gt;\n🔗 Tải mẫu: https://example.invalid/mau?a=1&amp;b=2');
    expect(await presentChoices(svc.db, chat('a1'), { text: 'Không nút' }, { now: now() })).toMatchObject({
      text: 'Không nút',
      numbers: [],
    });
  });

  it('turns "2", " 2 " and "2." into the press of the button shown beside 2, through the same handler', async () => {
    const shown = await presentChoices(svc.db, chat('a2'), msg('x', 'y'), { now: now() });
    for (const typed of ['2', ' 2 ', '2.']) {
      pressed.length = 0;
      expect(await receive(textIn('a2', typed))).toEqual([]);
      expect(pressed).toEqual([{ args: ['y'], ref: shown.messageRef, chat: 'a2' }]);
    }
    const reading = await readChoice(svc.db, textIn('a2', '1'), now());
    expect(reading).toEqual({
      kind: 'press',
      message: {
        channel: 'zalo',
        chat: { id: 'a2', isGroup: false },
        sender: { id: 'a2', name: 'Hạnh' },
        kind: 'button',
        data: 'tst:x',
        messageRef: shown.messageRef,
      },
    });
    // Not just a number: the message goes on as it came.
    for (const other of ['2 người', '/toi', 'hai', '1234'])
      expect((await readChoice(svc.db, textIn('a2', other), now())).kind).toBe('pass');
  });

  it('keeps every open message’s numbers meaning what was shown, gives a hint for a number that means nothing', async () => {
    const first = await presentChoices(svc.db, chat('a3'), msg('a', 'b'), { now: now() });
    const second = await presentChoices(svc.db, chat('a3'), msg('c', 'd'), { now: now() });
    expect([first.numbers, second.numbers]).toEqual([
      [1, 2],
      [3, 4],
    ]);
    pressed.length = 0;
    await receive(textIn('a3', '1'));
    await receive(textIn('a3', '4'));
    expect(pressed.map((p) => [p.args[0], p.ref])).toEqual([
      ['a', first.messageRef],
      ['d', second.messageRef],
    ]);
    expect(await receive(textIn('a3', '7'))).toEqual([
      'Không có lựa chọn số 7. Vui lòng gõ đúng số ghi trước lựa chọn trong tin nhắn gần nhất.',
    ]);
    // The outbox retrying the same message gets the same numbers.
    expect((await presentChoices(svc.db, chat('a3'), msg('a', 'b'), { now: now(), messageRef: first.messageRef })).numbers).toEqual([1, 2]);
    // A replaced (edited) message's numbers stop acting and are not given to the next message.
    expect(await closeChoices(svc.db, chat('a3'), first.messageRef, now())).toBe(2);
    expect(await receive(textIn('a3', '1'))).toEqual([expect.stringContaining('Không có lựa chọn số 1')]);
    expect((await presentChoices(svc.db, chat('a3'), msg('e'), { now: now() })).numbers).toEqual([5]);
  });

  it(`wraps after ${CHOICES.maxNumber}, dropping only the oldest holders, and forgets choices after ${CHOICES.ttlDays} days`, async () => {
    let last: number[] = [];
    for (let i = 0; i < 33; i++) last = (await presentChoices(svc.db, chat('a4'), msg('p', 'q', 'r'), { now: now() })).numbers;
    expect(last).toEqual([97, 98, 99]);
    const wrapped = await presentChoices(svc.db, chat('a4'), msg('s', 't'), { now: now() });
    expect(wrapped.numbers).toEqual([1, 2]);
    pressed.length = 0;
    await receive(textIn('a4', '2'));
    await receive(textIn('a4', '3')); // still the first message's third button
    expect(pressed.map((p) => p.args[0])).toEqual(['t', 'r']);
    expect(await database.prisma.openChoice.count({ where: { channel: 'zalo', chatId: 'a4' } })).toBe(CHOICES.maxNumber);

    const later = new Date(Date.now() + (CHOICES.ttlDays + 1) * 86_400_000);
    expect((await readChoice(svc.db, textIn('a4', '2'), later)).kind).toBe('hint');
    expect((await presentChoices(svc.db, chat('a4'), msg('u'), { now: later })).numbers).toEqual([1]);
    expect(await database.prisma.openChoice.count({ where: { channel: 'zalo', chatId: 'a4' } })).toBe(1);
  });

  it('gives two messages sent at the same moment different numbers', async () => {
    const [a, b] = await Promise.all([
      presentChoices(svc.db, chat('c9'), msg('a', 'b'), { now: now() }),
      presentChoices(svc.db, chat('c9'), msg('c', 'd'), { now: now() }),
    ]);
    expect([...a!.numbers, ...b!.numbers].sort()).toEqual([1, 2, 3, 4]);
  });

  it('while a flow is open, a bare number is its answer unless it names a choice shown since; "#N" on a typed-answer question', async () => {
    const old = await presentChoices(svc.db, chat('a5'), msg('old'), { now: now() });
    await new Promise((r) => setTimeout(r, 5)); // the flow moves on strictly after it was shown
    const identity = await database.prisma.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'zalo', chatId: 'a5' } } });
    await database.prisma.chatState.create({ data: { chatIdentityId: identity.id, flow: 'tst.ask', data: {} } });
    const yesNo = await presentChoices(svc.db, chat('a5'), msg('yes', 'no'), { now: now() });
    pressed.length = 0;
    answered.length = 0;
    await receive(textIn('a5', String(old.numbers[0])));
    await receive(textIn('a5', String(yesNo.numbers[1])));
    await receive(textIn('a5', '42'));
    expect(answered).toEqual(['1', '42']);
    expect(pressed.map((p) => p.args[0])).toEqual(['no']);

    const count = await presentChoices(svc.db, chat('a5'), { ...msg('back', 'skip'), typedAnswer: true }, { now: now() });
    expect(count.text).toMatch(/\n#4 — Nút back\n#5 — Nút skip$/);
    await receive(textIn('a5', '4'));
    await receive(textIn('a5', '#5'));
    expect(answered).toEqual(['1', '42', '4']);
    expect(pressed.map((p) => p.args[0])).toEqual(['no', 'skip']);
    // Suspended by another command, the flow takes no typed answer: the older number is a choice again.
    await database.prisma.chatState.update({ where: { chatIdentityId: identity.id }, data: { suspendedAt: new Date() } });
    await receive(textIn('a5', String(old.numbers[0])));
    expect(pressed.map((p) => p.args[0])).toEqual(['no', 'skip', 'old']);
    await database.prisma.chatState.update({ where: { chatIdentityId: identity.id }, data: { suspendedAt: null } });
  });

  it('answers what a channel cannot show politely and never passes it to an open flow; a stranger learns how to join', async () => {
    const unsupported = (chatId: string): IncomingMessage => ({
      channel: 'zalo',
      chat: { id: chatId, isGroup: false },
      sender: { id: chatId, name: 'X' },
      kind: 'unsupported',
    });
    answered.length = 0;
    const told = await receive(unsupported('a5'));
    expect(told).toEqual([expect.stringContaining('chỉ đọc được tin nhắn chữ')]);
    expect(answered).toEqual([]);
    const identity = await database.prisma.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'zalo', chatId: 'a5' } } });
    expect(await database.prisma.chatState.count({ where: { chatIdentityId: identity.id } })).toBe(1);
    expect(await receive(unsupported('ff'))).toEqual([expect.stringContaining('chưa được liên kết')]);
  });

  it('a stranger pressing by number meets the router’s first gate', async () => {
    await presentChoices(svc.db, chat('ee'), msg('x'), { now: now() });
    pressed.length = 0;
    expect(await receive(textIn('ee', '1'))).toEqual([expect.stringContaining('chưa được liên kết')]);
    expect(pressed).toEqual([]);
  });
});
