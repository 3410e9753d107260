import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature } from '../../commands/types.js';
import type { App } from '../../src/app.js';
import { telegramCapabilities } from '../../src/channels/telegram/capabilities.js';
import { fitHtml, fitPlain, visibleLength } from '../../src/channels/telegram/fit.js';
import type { Database } from '../../src/db/client.js';
import { enqueue } from '../../src/delivery/outbox.js';
import { BotApiEmulator } from '../../src/emulator/botApiEmulator.js';
import { parseHtml } from '../../src/emulator/html.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg, linkByPhone } from '../helpers/org.js';
import { outboxDrained } from '../helpers/outbox.js';

const MAX = telegramCapabilities.maxTextLength;
/** What a person sees of a Telegram-HTML text, by the emulator's port of Telegram's own parser. */
const seen = (html: string) => parseHtml(html, { strictAmpersand: true }).text;

/** About 6000 visible characters over many lines, with tags, entities and a link, like a long status list. */
function longList(lines = 90): string {
  return Array.from(
    { length: lines },
    (_, i) =>
      `<b>${i + 1}. Chi bộ Khu phố ${i + 1}</b> — văn bản <a href="https://example.org/vb/${i}">3080-CV/BTGTU</a> ` +
      `&lt;đã nhận&gt; &amp; <i>đang báo cáo</i> &#x1F4C4; &quot;65-CV/BTGQU&quot;`,
  ).join('\n');
}

describe('fitting a view into the message limit', () => {
  it('leaves a text that fits alone', () => {
    const text = longList(10);
    expect(visibleLength(text)).toBe(seen(text).length);
    expect(fitHtml(text, MAX)).toBe(text);
  });

  it('counts what Telegram counts: tags stripped, entities decoded, UTF-16 units', () => {
    for (const text of [
      longList(),
      '<pre><code class="language-ts">a &lt; b</code></pre>',
      '&ltx; &#128196; &#0; & &amp',
      '📄 <tg-spoiler>x</tg-spoiler>',
    ]) {
      expect(visibleLength(text)).toBe(parseHtml(text, { strictAmpersand: false }).text.length);
    }
  });

  it.each([
    ['many lines', longList()],
    ['one long line', longList().replaceAll('\n', ' ')],
    ['one long word', `<b>${'&amp;'.repeat(3000)}x${'đ'.repeat(3000)}</b>`],
    ['lines inside open tags', `<blockquote expandable><pre>${longList().replace(/<[^>]+>/g, '')}</pre></blockquote>`],
    ['emoji everywhere', `<i>${'📄 '.repeat(2500)}</i>`],
  ])('clips %s to a valid beginning of the same text, ending in "…"', (_, text) => {
    expect(seen(text).length).toBeGreaterThan(MAX);
    const fitted = fitHtml(text, MAX);
    const shown = seen(fitted); // throws on a cut tag, an unclosed tag or a broken entity
    expect(shown.length).toBeLessThanOrEqual(MAX);
    expect(shown.length).toBeGreaterThan(MAX / 2);
    expect(shown.endsWith('…')).toBe(true);
    expect(seen(text).startsWith(shown.slice(0, -1).trimEnd())).toBe(true);
  });

  it('cuts at a line boundary when there is one', () => {
    const shown = seen(fitHtml(longList(), MAX));
    const kept = shown.slice(0, -2);
    expect(shown.endsWith('\n…')).toBe(true);
    expect(seen(longList()).split('\n')).toContain(kept.split('\n').at(-1));
  });

  it('clips a popup text', () => {
    const popup = fitPlain('Đã ghi nhận. '.repeat(30), telegramCapabilities.maxPopupLength);
    expect(popup.length).toBeLessThanOrEqual(200);
    expect(popup.endsWith('…')).toBe(true);
  });
});

/** Through the real bot and the Bot API emulator, which refuses more than 4096 characters like Telegram. */
describe('the Telegram adapter keeps every message within the limit', () => {
  const HANH = { id: 5101, first_name: 'Hạnh' };
  const long = longList();
  const feature: Feature = {
    commands: [
      {
        name: 'dai',
        access: 'anyone',
        run: async (ctx) => {
          await ctx.reply.send({ text: long, buttons: [[{ text: 'Sửa', data: 'dai:sua' }]] });
        },
      },
    ],
    buttons: [
      {
        prefix: 'dai',
        access: 'linked',
        run: async (ctx) => {
          await ctx.reply.edit({ text: `<b>Đã sửa</b>\n${long}` });
          await ctx.reply.notify('Đã sửa xong danh sách các chi bộ. '.repeat(10));
        },
      },
    ],
  };
  let h: Harness;
  let emulator: BotApiEmulator;
  let database: Database;
  let app: App;

  beforeAll(async () => {
    h = await startHarness({ features: [feature] });
    ({ emulator, database, app } = h);
    await importFixtureOrg(database, h.config);
    await linkByPhone(database, '+84913222333', HANH.id);
  });
  afterAll(() => h?.stop());

  it('a reply of 6000 characters arrives clipped, at a line boundary, with valid formatting', async () => {
    expect(seen(long).length).toBeGreaterThan(6000);
    emulator.sendText(HANH, '/dai');
    const [reply] = await emulator.waitForMessages(HANH.id, 1);
    expect(reply!.plainText.length).toBeLessThanOrEqual(MAX);
    expect(reply!.plainText.length).toBeGreaterThan(MAX - 200);
    expect(reply!.plainText.endsWith('\n…')).toBe(true);
    expect(seen(long).startsWith(reply!.plainText.slice(0, -2))).toBe(true);
    expect(reply!.entities.some((e) => e.type === 'text_link')).toBe(true);
    expect(reply!.reply_markup).toBeDefined();
  });

  it('an edit and a popup are clipped too', async () => {
    const [message] = emulator.messagesTo(HANH.id);
    const press = emulator.pressButton(HANH, { chat_id: HANH.id, message_id: message!.message_id }, 'dai:sua');
    const answer = await emulator.waitForCallbackAnswer(press);
    expect(answer.text!.length).toBeLessThanOrEqual(200);
    const edited = emulator.messagesTo(HANH.id)[0]!;
    expect(edited.plainText.startsWith('Đã sửa\n1. Chi bộ Khu phố 1')).toBe(true);
    expect(edited.plainText.length).toBeLessThanOrEqual(MAX);
    expect(edited.plainText.endsWith('…')).toBe(true);
  });

  it('a long message from the outbox is delivered whole in ordered parts within the limit, not given up as refused', async () => {
    const chat = await database.prisma.chatIdentity.findFirstOrThrow({ where: { chatId: String(HANH.id) } });
    const before = emulator.messagesTo(HANH.id).length;
    await enqueue(database.prisma, [{ chatIdentityId: chat.id, dedupeKey: 'test:long', payload: { text: long } }]);
    app.svc.kick();
    await outboxDrained(database.prisma);
    const rows = await database.prisma.outboxMessage.findMany({
      where: { dedupeKey: { startsWith: 'test:long' } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => r.dedupeKey)).toEqual(['test:long:p1', 'test:long']);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const parts = emulator.messagesTo(HANH.id).slice(before);
    expect(parts).toHaveLength(2);
    parts.forEach((p, i) => {
      expect(p.plainText.length).toBeLessThanOrEqual(MAX);
      expect(p.plainText.endsWith(`(${i + 1}/2)`)).toBe(true);
    });
    const squeeze = (s: string) => s.replace(/\(\d\/2\)$/, '').replace(/\s+/g, '');
    expect(parts.map((p) => squeeze(p.plainText)).join('')).toBe(squeeze(seen(long)));
  });
});
