import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonsOf, chat } from './chat.js';
import { DOCS_CSV, P, setupOrg, type Who } from './org.js';

const dir = mkdtempSync(join(tmpdir(), 'capuy-bc-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const NOTICE =
  'Ban Tuyên giáo Quận ủy gửi các đơn vị tài liệu “Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)” ' +
  'để các đồng chí phổ biến tại địa phương, cơ quan, đơn vị.\n\n' +
  'Lưu ý: <b>không</b> phải thẻ, A & B, *không in đậm* — giữ nguyên như đã viết.';

/** Everyone linked except Hồ Văn Phúc (CBCS-HLH), who never opened the bot. */
const LINKED: Who[] = ['an', 'chau', 'dung', 'hanh', 'hung', 'lan', 'long', 'tuyen', 'ngoc', 'binh'];

describe('broadcasts with read receipts', () => {
  let h: Harness;
  const { press, say } = chat(() => h);
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  /** Notices the bot sent to a person (other features may write to them too). */
  const noticesTo = (who: Who) => h.emulator.messagesTo(P[who].tg).filter((m) => m.text.startsWith('📢'));
  const waitNotices = (who: Who, n: number) =>
    h.emulator.waitUntil(() => (noticesTo(who).length >= n ? noticesTo(who) : undefined), 8000, `${n} notices to ${who}`);
  const status = async (id: number) => JSON.parse((await run('broadcast', 'status', String(id), '--json')).out) as Record<string, number>;
  const statusWhen = async (id: number, ok: (s: Record<string, number>) => boolean) => {
    for (let i = 0; i < 50; i++) {
      const s = await status(id);
      if (ok(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    return status(id);
  };

  beforeAll(async () => {
    h = await startHarness({ now: '2023-07-12T09:00' });
    await setupOrg(h.database, h.config, LINKED);
    const res = await run('docs', 'import', file('docs.csv', DOCS_CSV));
    if (res.code !== 0) throw new Error(res.err);
  });
  afterAll(() => h?.stop());

  it('reaches each linked person of the subtree once; two "Đã nhận" show as 2 acknowledged in /thongke and status', async () => {
    const sent = await run(
      'broadcast',
      '--to',
      'DBK',
      '--subtree',
      '--text-file',
      file('notice.txt', NOTICE),
      '--ack',
      '--doc',
      '3080-CV/BTGTU',
    );
    expect(sent.code, sent.err).toBe(0);
    expect(sent.out).toMatch(/^\d+$/);
    const id = Number(sent.out);

    for (const who of LINKED) await waitNotices(who, 1);
    const toHanh = noticesTo('hanh')[0]!;
    expect(toHanh.plainText).toBe(
      `📢 THÔNG BÁO\n\n${NOTICE}\n\n` +
        '📄 Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)\n' +
        '3080-CV/BTGTU · Ban Tuyên giáo Thành ủy · 10/07/2023\n' +
        '🔗 https://tuyengiao.example.vn/tai-lieu/thong-bao-nhanh-hoi-nghi-21.pdf\n\n' +
        '👉 Đề nghị đồng chí bấm «Đã nhận» để xác nhận đã nhận thông báo.',
    );
    expect(toHanh.text).toContain('&lt;b&gt;không&lt;/b&gt; phải thẻ, A &amp; B, *không in đậm*');
    expect(buttonsOf(toHanh)).toEqual([{ text: '✅ Đã nhận', callback_data: `bc:rcv:${id}` }]);

    // Two of them confirm; the button gives way to a note, and a second press is harmless.
    const first = await press('hanh', toHanh, `bc:rcv:${id}`, 'edit');
    expect(first.popup).toBe('Cảm ơn đồng chí đã xác nhận.');
    expect(toHanh.plainText).toMatch(/✅ Đồng chí đã xác nhận đã nhận lúc 09:\d\d Thứ Tư, 12\/07\/2023\.$/);
    expect(buttonsOf(toHanh)).toEqual([]);
    const toTuyen = noticesTo('tuyen')[0]!;
    await press('tuyen', toTuyen, `bc:rcv:${id}`, 'edit');
    const again = await press('tuyen', toTuyen, `bc:rcv:${id}`).catch((e: Error) => e);
    expect(again).toBeInstanceOf(Error); // the button is gone

    expect(await statusWhen(id, (s) => s.sent === 10)).toEqual({ recipients: 10, sent: 10, failed: 0, blocked: 0, acknowledged: 2 });
    const text = await run('broadcast', 'status', String(id));
    expect(text.out).toContain('Đã xác nhận: 2/11');
    expect(text.out).toMatch(/CBCS-HLH Chi bộ cơ sở Hội Liên hiệp Phụ nữ Thành phố: Hồ Văn Phúc \(chưa liên kết\)/);
    expect(text.out).not.toContain('Võ Thị Hạnh');

    // /thongke: the CLI's broadcast has no author, so the admin sees it.
    const stats = await say('an', `/thongke ${id}`);
    expect(stats.plainText).toContain(`Thông báo #${id} — 09:00 Thứ Tư, 12/07/2023`);
    expect(stats.plainText).toContain('Gửi tới: DBK (cả đơn vị trực thuộc) · vai trò: tất cả');
    expect(stats.plainText).toContain('Người nhận: 10 (10 người, 0 nhóm)');
    expect(stats.plainText).toContain('✅ Đã gửi: 10');
    expect(stats.plainText).toContain('👍 Đã xác nhận: 2/10 người');
    expect(stats.plainText).toContain('🔗 Chưa liên kết: 1 người');
    expect(stats.plainText).not.toMatch(/Võ Thị Hạnh|Nguyễn Trung Châu Tuyên/);
    expect(stats.plainText).toContain('Chi bộ 3 (Văn phòng Ban) (CB3-BTG) — 2: Bùi Thanh Long, Huỳnh Thị Lan');
    expect(stats.plainText).toContain('Hồ Văn Phúc (chưa liên kết)');
    // Lê Minh Châu did not send it, but she is the tuyên giáo of all of DBK: hers to follow too.
    // (A viewer whose subtree does not hold every unit is refused: see security.test.ts, M2.)
    expect((await say('chau', `/thongke ${id}`)).plainText).toContain('👍 Đã xác nhận: 2/10 người');

    const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: 'broadcast.send', target: `broadcast:${id}` } });
    expect(audit.actor).toBe('cli');
    expect(audit.details).toMatchObject({ unitCodes: ['DBK'], subtree: true, roles: [], ack: true, chats: 10, people: 11, unlinked: 1 });

    // Nothing arrives twice, even after the worker has had time to.
    await new Promise((r) => setTimeout(r, 1500));
    for (const who of LINKED) expect(noticesTo(who), who).toHaveLength(1);
  });

  it('splits a notice longer than one Telegram message, in order, with the button on the last part', async () => {
    const paragraph = 'Đoạn <%d> nói về kinh tế & xã hội, *giữ nguyên*. '.repeat(12);
    const long = Array.from({ length: 16 }, (_, i) => paragraph.replace(/%d/g, String(i + 1)).trim()).join('\n\n');
    expect(long.length).toBeGreaterThan(9000);
    const sent = await run('broadcast', '--to', 'CB1-MT', '--text-file', file('long.txt', long), '--ack');
    const id = Number(sent.out);
    // Cut conservatively (by the escaped HTML's length): 9,000+ visible characters make 3 or 4 parts.
    const parts = await h.emulator.waitUntil(
      () => {
        const ms = h.emulator.messagesTo(P.ngoc.tg).filter((m) => /\(\d\/\d\)$/.test(m.plainText));
        return ms.length >= 3 && buttonsOf(ms.at(-1)!).length ? ms : undefined;
      },
      10_000,
      'all parts',
    );
    const n = parts.length;
    expect(n).toBeLessThanOrEqual(4);
    expect(parts.map((m) => m.plainText.match(/\((\d\/\d)\)$/)![1])).toEqual(parts.map((_, i) => `${i + 1}/${n}`));
    for (const m of parts) expect(m.plainText.length).toBeLessThanOrEqual(4096);
    for (const m of parts.slice(0, -1)) expect(buttonsOf(m)).toEqual([]);
    expect(buttonsOf(parts.at(-1)!)).toEqual([{ text: '✅ Đã nhận', callback_data: `bc:rcv:${id}` }]);
    const body = parts
      .map((m) => m.plainText.replace(/\n\n\(\d\/\d\)$/, ''))
      .join('\n\n')
      .replace(/^📢 THÔNG BÁO\n\n/, '')
      .replace(/\n\n👉 Đề nghị đồng chí bấm «Đã nhận» để xác nhận đã nhận thông báo\.$/, '');
    expect(body.replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
    expect(await statusWhen(id, (s) => s.sent === 1)).toMatchObject({ recipients: 1, sent: 1 });
  });

  it('only some roles; a chat that blocked the bot counts as blocked', async () => {
    const speakers = await run(
      'broadcast',
      '--to',
      'DB-BTG',
      '--subtree',
      '--roles',
      'bao_cao_vien',
      '--text-file',
      file('bcv.txt', 'Kính gửi các đồng chí báo cáo viên.'),
    );
    const id = Number(speakers.out);
    await waitNotices('tuyen', 2);
    expect(noticesTo('tuyen')[1]!.plainText).toContain('Kính gửi các đồng chí báo cáo viên.');
    expect(await statusWhen(id, (s) => s.sent === 1)).toEqual({ recipients: 1, sent: 1, failed: 0, blocked: 0, acknowledged: 0 });

    const bad = await run('broadcast', '--to', 'DB-BTG', '--roles', 'chu_tich', '--text-file', file('x.txt', 'x'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Vai trò không hợp lệ: chu_tich');
    expect((await run('broadcast', '--to', 'KHONGCO', '--text-file', file('y.txt', 'y'))).err).toContain('Không có đơn vị mã «KHONGCO»');
    expect((await run('broadcast', '--to', 'DBK', '--text-file', file('empty.txt', '  \n'))).err).toContain('cần nội dung');

    h.emulator.blockChat(P.hung.tg);
    const blocked = Number((await run('broadcast', '--to', 'CB2-BTG', '--text-file', file('cb2.txt', 'Gửi Chi bộ 2.'))).out);
    expect(await statusWhen(blocked, (s) => s.blocked === 1)).toEqual({ recipients: 1, sent: 0, failed: 0, blocked: 1, acknowledged: 0 });
    h.emulator.unblockChat(P.hung.tg);
  });

  it('reminds, once, those who have not confirmed after N hours', async () => {
    const id = Number(
      (
        await run(
          'broadcast',
          '--to',
          'DB-BTG',
          '--subtree',
          '--text-file',
          file('r.txt', 'Đề nghị xác nhận.'),
          '--ack',
          '--remind-after',
          '4',
        )
      ).out,
    );
    const who: Who[] = ['dung', 'hanh', 'lan', 'long', 'tuyen'];
    const mine = (w: Who) => h.emulator.messagesTo(P[w].tg).filter((m) => m.text.includes('Đề nghị xác nhận.'));
    await h.emulator.waitUntil(() => who.every((w) => mine(w).length === 1) || undefined, 8000, 'the notice to DB-BTG');
    await press('lan', mine('lan')[0]!, `bc:rcv:${id}`, 'edit');
    await statusWhen(id, (s) => s.sent === 5);

    await h.at('2023-07-12T12:59'); // not yet
    const reminders = (w: Who) => h.emulator.messagesTo(P[w].tg).filter((m) => m.plainText.startsWith('🔔 Nhắc xác nhận'));
    await new Promise((r) => setTimeout(r, 300));
    expect(reminders('hanh')).toHaveLength(0);

    await h.at('2023-07-12T13:01');
    await h.emulator.waitUntil(
      () => ['dung', 'hanh', 'long', 'tuyen'].every((w) => reminders(w as Who).length === 1) || undefined,
      8000,
      'reminders',
    );
    expect(reminders('hanh')[0]!.plainText).toContain('Đồng chí chưa xác nhận đã nhận thông báo «Đề nghị xác nhận.» gửi lúc');
    expect(reminders('lan')).toHaveLength(0);

    // Confirming from the reminder counts; a later tick sends nothing more.
    await press('hanh', reminders('hanh')[0]!, `bc:rcv:${id}:r`, 'edit');
    expect(reminders('hanh')[0]!.plainText).toContain('✅ Đồng chí đã xác nhận');
    await h.at('2023-07-12T18:00');
    await new Promise((r) => setTimeout(r, 500));
    for (const w of ['dung', 'hanh', 'long', 'tuyen'] as Who[]) expect(reminders(w), w).toHaveLength(1);
    expect((await status(id)).acknowledged).toBe(2);
  });
});
