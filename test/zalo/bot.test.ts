import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { importFixtureOrg } from '../helpers/org.js';
import { ROSTER } from '../helpers/roster.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choicesOf, linkZalo, numberOf, startZaloHarness, ZaloChat, type ZaloHarness } from '../helpers/zalo.js';

/**
 * The real bot on Zalo alone (ZALO_BOT_TOKEN, no TELEGRAM_BOT_TOKEN), tried as a new user would,
 * over HTTP against the project's Zalo emulator, on PGlite (or PostgreSQL with TEST_DATABASE_URL).
 */
describe('the bot on Zalo alone', () => {
  let h: ZaloHarness;
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  const chat = (id: string, name: string) => new ZaloChat(() => h, { id, display_name: name });

  beforeAll(async () => {
    h = await startZaloHarness({ now: '2026-12-30T09:00' });
    await importFixtureOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  it('starts with Zalo as its only channel and polls it', async () => {
    expect(h.app.channels.map((c) => c.name)).toEqual(['zalo']);
    expect(h.app.channels[0]!.capabilities).toMatchObject({ buttons: false, edits: false, html: false, maxTextLength: 2000 });
    const health = await fetch(`http://127.0.0.1:${h.app.port}/healthz`);
    expect(health.status).toBe(200);
  });

  it('gives a stranger the polite "how to join" answer, and nothing else', async () => {
    const stranger = chat('f'.repeat(20), 'Người lạ');
    const answer = await stranger.say('xin chào');
    expect(answer.text).toContain('chưa được liên kết');
    expect(answer.text).toContain('mã tham gia');
    expect(answer.text).not.toMatch(/<\/?b>/);
    // A bare number, a link Zalo withholds, a command: the same answer.
    expect((await stranger.say('1')).text).toBe(answer.text);
    const n = stranger.messages().length;
    h.emulator.userSendsUnsupported(stranger.user);
    expect((await stranger.next(n)).text).toBe(answer.text);
    expect((await stranger.say('/toi')).text).toBe(answer.text);
    await new Promise((r) => setTimeout(r, 300));
    expect(stranger.messages()).toHaveLength(4);
  });

  it('/start asks for the join code; the code links the secretary and /toi names her chi bộ in plain text', async () => {
    const invite = await run('invite', '--phone', ROSTER.lan.phone, '--json');
    expect(invite.code, invite.err).toBe(0);
    const { link, code } = JSON.parse(invite.out) as { link: string | null; code: string };
    expect(link).toBeNull();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    const lan = ZaloChat.of(() => h, 'lan');
    const ask = await lan.say('/start');
    expect(ask.text).toContain('mã tham gia');
    expect(ask.text).not.toContain('Chia sẻ số điện thoại');
    expect((await lan.say('ABCD-2345')).text).toContain('Mã tham gia không đúng');

    const linked = await lan.say(code.toLowerCase(), 'Đã liên kết');
    expect(linked.text).toContain('Huỳnh Thị Lan');
    const toi = await lan.say('/toi');
    expect(toi.text).toContain('Chi bộ 3 (Văn phòng Ban)');
    expect(toi.text).not.toMatch(/<[a-z/]|&[a-z]+;/);
    const row = await h.db.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'zalo', chatId: lan.user.id } } });
    expect(row.personId).not.toBeNull();
  });

  it('links with "/start CODE" too', async () => {
    const invite = await run('invite', '--phone', ROSTER.hanh.phone, '--json');
    const { code } = JSON.parse(invite.out) as { code: string };
    const hanh = ZaloChat.of(() => h, 'hanh');
    expect((await hanh.say(`/start ${code}`, 'Đã liên kết')).text).toContain('Võ Thị Hạnh');
  });

  const dir = mkdtempSync(join(tmpdir(), 'capuy-zalo-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const lan = ZaloChat.of(() => h, 'lan');

  it('announces a deadline with "Đã nộp" as a numbered choice; replying with the number records it', async () => {
    await linkZalo(h.database, 'long');
    // Zalo lets a bot write only to someone who has written to it.
    await ZaloChat.of(() => h, 'long').say('/toi');
    const created = await run('deadline', 'add', '--title', 'Báo cáo sơ kết năm', '--due', '31/12/2026', '--units', 'CB3-BTG');
    expect(created.code, created.err).toBe(0);
    const id = Number(created.out.split('\n')[0]);
    const before = lan.messages().length;
    const announcement = await lan.next(before, 'Hạn báo cáo mới');
    expect(announcement.text).toContain('Đơn vị: Chi bộ 3 (Văn phòng Ban) (CB3-BTG)');
    expect(announcement.text).not.toMatch(/<[a-z/]/);
    expect(choicesOf(announcement)).toEqual(['✅ Đã nộp', 'Chi tiết']);
    const done = numberOf(announcement, 'Đã nộp');
    // The numbers are the outbox row's: kept in the database under that row.
    const row = await h.db.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: `deadline:${id}:` }, chat: { chatId: lan.user.id } },
    });
    const open = await h.db.openChoice.findMany({ where: { channel: 'zalo', chatId: lan.user.id, messageRef: `outbox:${row.id}` } });
    expect(open.map((o) => String(o.number))).toContain(done);

    // A number that means nothing gets a short hint, and changes nothing.
    expect((await lan.say('97')).text).toContain('Không có lựa chọn số 97');
    expect(JSON.parse((await run('deadline', 'status', String(id), '--json')).out)).toMatchObject({ reported: 0 });

    const reply = await lan.say(done, 'Đã ghi nhận:');
    expect(reply.text).toContain('Chi bộ 3 (Văn phòng Ban) (CB3-BTG) đã nộp');
    expect(JSON.parse((await run('deadline', 'status', String(id), '--json')).out)).toMatchObject({ reported: 1, units: 1 });
    // Long (phó bí thư) is told through the outbox, on Zalo too.
    await ZaloChat.of(() => h, 'long').next(1, 'Đơn vị đã báo cáo');
    // The note step that follows takes the next text as it is.
    expect((await lan.say('https://drive.example.vn/bao-cao.pdf')).text).toContain('Đã lưu ghi chú');
  });

  it('takes the whole quarterly check-in on Zalo, refusing a wrong answer politely', async () => {
    const opened = await run('checkin', 'open', '--period', '2026-Q4', '--units', 'CB3-BTG', '--closes', '05/01/2027');
    expect(opened.code, opened.err).toBe(0);
    h.app.worker.kick();
    const prompt = await lan.next(lan.messages().length, 'Đồng chí vui lòng gửi báo cáo');
    expect(prompt.text).toContain('Báo cáo tình hình chi bộ Quý IV/2026');
    let q = await lan.say(numberOf(prompt, ''), 'Câu 1/11.');
    expect(q.text).toContain('Tổng số đảng viên của chi bộ tính đến cuối quý?');

    q = await lan.say('700');
    expect(q.text).toContain('Số 700 nằm ngoài giới hạn. Vui lòng nhập số nguyên từ 0 đến 500.');
    expect(q.text).toContain('Câu 1/11.');
    // Typed numbers are answers, never choices, while a question takes them.
    for (const [answer, next] of [
      ['25', 'Câu 2/11.'],
      ['3', 'Câu 3/11.'],
      ['1', 'Câu 4/11.'],
      ['92,5', 'Câu 5/11.'],
      ['1', 'Câu 6/11.'],
      ['0', 'Câu 7/11.'],
      ['2', 'Câu 8/11.'],
      ['0', 'Câu 9/11.'],
    ] as const) {
      q = await lan.say(answer, 'Câu ');
      expect(q.text, `after ${answer}`).toContain(next);
    }
    expect(choicesOf(q).slice(0, 3)).toEqual(['Ổn định', 'Cơ bản ổn định', 'Có vấn đề cần quan tâm']);
    q = await lan.say(numberOf(q, 'Ổn định'), 'Câu 10/11.');
    expect(lan.messages().some((m) => m.text.includes('➡️ Ổn định'))).toBe(true);
    await lan.say(numberOf(q, 'Bỏ qua'), 'Câu 11/11.');
    const summary = await lan.say('Đề nghị mở lớp bồi dưỡng lý luận chính trị <năm 2027>.', '1. Đảng viên cuối quý: 25');
    expect(summary.text).toContain('9. Tình hình tư tưởng: Ổn định');
    expect(summary.text).toContain('<năm 2027>');
    const sent = await lan.say(numberOf(summary, 'Gửi'), 'Đã gửi báo cáo của Chi bộ 3');
    expect(sent.text).not.toMatch(/<\/?b>/);
    const unit = await h.db.unit.findUniqueOrThrow({ where: { code: 'CB3-BTG' } });
    const report = await h.db.checkinReport.findFirstOrThrow({ where: { unitId: unit.id }, include: { versions: true } });
    expect(report.version).toBe(1);
    expect(report.versions[0]!.answers).toMatchObject({ members_end: 25, attendance: 92.5, ideology: 'stable', ideology_notes: null });
  });

  it('takes a broadcast\'s "Đã nhận" by number, and splits a 5,000-character notice into ordered parts of at most 2000', async () => {
    const sent = await run(
      'broadcast',
      '--to',
      'CB3-BTG',
      '--text-file',
      file('short.txt', 'Họp chi bộ thường kỳ lúc 14:00 thứ Sáu.'),
      '--ack',
    );
    expect(sent.code, sent.err).toBe(0);
    const id = Number(sent.out);
    const notice = await lan.next(lan.messages().length, 'Họp chi bộ thường kỳ');
    const ack = await lan.say(numberOf(notice, 'Đã nhận'), 'đã nhận lúc');
    expect(ack.text).toContain('Họp chi bộ thường kỳ');
    const status = JSON.parse((await run('broadcast', 'status', String(id), '--json')).out) as { acknowledged: number };
    expect(status.acknowledged).toBe(1);

    const paragraph = 'Đoạn <%d> nói về kinh tế & xã hội, *giữ nguyên*. '.repeat(6);
    const long = Array.from({ length: 18 }, (_, i) => paragraph.replace(/%d/g, String(i + 1)).trim()).join('\n\n');
    expect(long.length).toBeGreaterThan(5000);
    const before = lan.messages().length;
    const sentLong = await run('broadcast', '--to', 'CB3-BTG', '--text-file', file('long.txt', long), '--ack');
    expect(sentLong.code, sentLong.err).toBe(0);
    const parts = await h.emulator.waitUntil(
      () => {
        const ms = lan.messages().slice(before);
        return ms.length >= 3 && ms.at(-1)!.text.includes('Đã nhận') ? ms : undefined;
      },
      15_000,
      'all parts',
    );
    const n = parts.length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(parts.map((m) => /\((\d)\/\d\)/.exec(m.text)?.[1])).toEqual(parts.map((_, i) => String(i + 1)));
    for (const m of parts) expect(m.text.length).toBeLessThanOrEqual(2000);
    for (const m of parts.slice(0, -1)) expect(choicesOf(m)).toEqual([]);
    expect(choicesOf(parts.at(-1))).toEqual(['✅ Đã nhận']);
    const body = parts.map((m) => m.text).join('\n');
    for (let i = 1; i <= 18; i++) expect(body).toContain(`Đoạn <${i}> nói về kinh tế & xã hội`);
    expect(body.indexOf('Đoạn <18>')).toBeGreaterThan(body.indexOf('Đoạn <1>'));
  });
});
