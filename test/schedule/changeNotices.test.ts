import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/emulator/botApiEmulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { outboxDrained } from '../helpers/outbox.js';
import { ROSTER, type Who } from '../helpers/roster.js';
import { count, csv, next, ok, press, say, settle, setupOrg, since } from './setup.js';

/**
 * Issue 13 #1: who hears of a schedule change. Named participants always (also before the week's
 * digest); other digest recipients only when the change moves or cancels an item they received;
 * nobody twice for one edit.
 */
describe('schedule change notices: participants always, other readers only when an item they got moves', () => {
  let h: Harness;
  let itemId: number;
  const everyone: Who[] = ['an', 'hanh', 'hung', 'lan'];

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-23T07:00' });
    await setupOrg(h.database, h, 'an', 'binh', 'hanh', 'hung', 'lan');
    // Wednesday's meeting names Hạnh, and Chi bộ 2 (whose bí thư is Hùng) takes part; An and Lan do not.
    await ok(
      h,
      'schedule',
      'import',
      csv('25/11/2026,14:00,16:00,Làm việc với Chi bộ 2 về kế hoạch năm 2027,Hội trường A,,đ/c Võ Thị Hạnh,DBK,N-1,CB2-BTG'),
    );
    itemId = (await h.db.scheduleItem.findFirstOrThrow({ where: { ref: 'N-1' } })).id;
  });
  afterAll(() => h?.stop());

  /** Bình edits one field of the item from its buttons and confirms; returns Bình's "✅" answer. */
  async function edit(field: 'time' | 'content' | 'place', value: string): Promise<StoredMessage> {
    const [list] = await say(h, 'binh', '/lich');
    let n = count(h, 'binh');
    await press(h, 'binh', list!, `sch:i:${itemId}`);
    const [card] = await next(h, 'binh', n);
    n = count(h, 'binh');
    await press(h, 'binh', card!, `sch:e:${itemId}:${field}`);
    await next(h, 'binh', n);
    const [confirm] = await say(h, 'binh', value);
    await press(h, 'binh', confirm!, 'sch:ok');
    // The confirmation turns into the answer (or a new message follows it).
    return h.emulator.waitUntil(() =>
      h.emulator
        .messagesTo(ROSTER.binh.tg)
        .find((m) => m.message_id >= confirm!.message_id && m.plainText.startsWith('✅ Đã cập nhật lịch.')),
    );
  }

  const counts = () => Object.fromEntries(everyone.map((w) => [w, count(h, w)])) as Record<Who, number>;
  const notices = (w: Who, from: number) => since(h, w, from).filter((m) => m.plainText.includes('Lịch thay đổi'));

  it('before the digest, tells the participants (named people and the bí thư of a unit named), nobody else', async () => {
    const before = counts();
    const done = await edit('time', '15:00-17:00');
    expect(done.plainText).toContain('Đã gửi thông báo thay đổi (2 tin).');
    for (const w of ['hanh', 'hung'] as const) {
      const [notice] = await next(h, w, before[w]);
      expect(notice!.plainText).toContain('15:00–17:00 Thứ Tư, 25/11/2026');
      expect(notice!.plainText).toContain('⭐'); // it concerns them
    }
    await settle(h, 800);
    expect(notices('an', before.an)).toEqual([]);
    expect(notices('lan', before.lan)).toEqual([]);
    expect(notices('binh', 0)).toEqual([]); // who made the change
  });

  it('after the digest, a change that does not move the item goes to the participants only', async () => {
    expect(await ok(h, 'schedule', 'digest', '--now')).toContain('5 người');
    h.app.worker.kick();
    await outboxDrained(h.db);
    const before = counts();
    const done = await edit('content', 'Làm việc với Chi bộ 2 về kế hoạch công tác năm 2027');
    expect(done.plainText).toContain('Đã gửi thông báo thay đổi (2 tin).');
    for (const w of ['hanh', 'hung'] as const) expect((await next(h, w, before[w]))[0]!.plainText).toContain('kế hoạch công tác năm 2027');
    await settle(h, 800);
    expect(notices('an', before.an)).toEqual([]);
    expect(notices('lan', before.lan)).toEqual([]);
  });

  it('after the digest, moving the item tells every reader of that digest, each once', async () => {
    const before = counts();
    const done = await edit('place', 'Phòng họp 2, 35 Lê Duẩn');
    expect(done.plainText).toContain('Đã gửi thông báo thay đổi (4 tin).');
    for (const w of everyone) expect((await next(h, w, before[w]))[0]!.plainText).toContain('Phòng họp 2, 35 Lê Duẩn');
    await settle(h, 800);
    for (const w of everyone) expect(notices(w, before[w])).toHaveLength(1);
    const lan = await h.db.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: 'schedule:change:' }, chat: { chatId: String(ROSTER.lan.tg) } },
    });
    expect(lan.urgent).toBe(false);
  });

  it('an item added after the digest is not news to readers who never received it when it moves', async () => {
    await ok(h, 'schedule', 'import', csv('26/11/2026,09:00,,Họp chi ủy Chi bộ 2,Phòng họp 1,,,DBK,N-2,CB2-BTG'));
    h.app.worker.kick();
    await outboxDrained(h.db);
    const before = counts();
    await ok(h, 'schedule', 'import', csv('26/11/2026,10:00,,Họp chi ủy Chi bộ 2,Phòng họp 1,,,DBK,N-2,CB2-BTG'));
    expect((await next(h, 'hung', before.hung))[0]!.plainText).toContain('10:00 Thứ Năm, 26/11/2026');
    await settle(h, 800);
    for (const w of ['an', 'hanh', 'lan'] as const) expect(notices(w, before[w])).toEqual([]);
  });
});
