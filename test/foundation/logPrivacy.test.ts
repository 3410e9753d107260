import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';
import { link, ROSTER } from '../helpers/roster.js';

/**
 * The real bot's log at debug level while people join by phone, write personal text and an update
 * fails: it says which update (id) of which kind, and carries no name, phone number or message text.
 */
describe('the log', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ log: createLogger('debug', { write: (l) => void lines.push(l) }), now: '2026-12-01T10:00' });
    await importFixtureOrg(h.database, h.config);
    await link(h.database, 'hanh');
  });
  afterAll(() => h?.stop());

  it('carries update ids and kinds, never names, phone numbers or texts', async () => {
    // Lan joins by sharing her contact (her phone, her name).
    const lan = { id: ROSTER.lan.tg, first_name: 'Lan', last_name: 'Huỳnh Thị', username: 'lan_huynh' };
    const ask = await Chat.of(() => h, ROSTER.lan).say('/start');
    expect(ask.plainText).toContain('Chia sẻ số điện thoại');
    const n = h.emulator.messagesTo(lan.id).length;
    h.emulator.sendContact(lan, { phone_number: '+84913222555', user_id: lan.id, first_name: 'Lan', last_name: 'Huỳnh Thị' });
    expect((await Chat.of(() => h, ROSTER.lan).next(n)).plainText).toContain('Huỳnh Thị Lan');

    // Hạnh writes personal text in a command, and then an update fails (the answer cannot be sent).
    const hanh = Chat.of(() => h, 'hanh');
    await hanh.say('/danop Gửi qua email, liên hệ chị Mai 0987 111 222');
    h.emulator.failNext('sendMessage', 1, { code: 400, description: 'Bad Request: chat not found' });
    const before = hanh.messages().length;
    const failing = h.emulator.sendText(hanh.user, '/toi');
    await hanh.next(before); // the "internal error" answer after the failed one
    await h.emulator.waitUntil(() => lines.some((l) => l.includes('"level":50')), 8000, 'the error logged');

    const log = lines.join('\n');
    expect(log).toContain(`"updateId":"${failing.update_id}"`);
    expect(log).toMatch(/"kind":"contact"/);
    expect(log).toMatch(/"kind":"text"/);
    expect(log).toMatch(/"what":"\/danop"/);
    const secrets = [
      // names, as the roster and Telegram have them
      ...Object.values(ROSTER).flatMap((p) => [p.name, p.name.split(' ').at(-1)!]),
      'Huỳnh Thị',
      'lan_huynh',
      // phone numbers in the forms people and Telegram write them
      ...Object.values(ROSTER).flatMap((p) => [p.phone, p.phone.slice(3), `0${p.phone.slice(3)}`]),
      '0987 111 222',
      // texts
      'Gửi qua email',
      'chị Mai',
    ];
    // Whole words only: "An" is a name, and also part of "processTicksAndRejections" in a stack trace.
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const word = (s: string) => new RegExp(`(?<![\\p{L}\\d])${escape(s)}(?![\\p{L}\\d])`, 'u');
    const found = secrets.filter((s) => word(s).test(log) || word(JSON.stringify(s).slice(1, -1)).test(log));
    expect(found, log).toEqual([]);
  });
});
