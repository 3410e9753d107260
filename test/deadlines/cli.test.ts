import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { markReported } from '../../src/domain/deadlines/service.js';
import { createLogger } from '../../src/logger.js';
import { cli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';
import { personId, setupOrg, unitId } from '../helpers/roster.js';

const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
const clock = new AdjustableClock(config.APP_TIMEZONE);
const setNow = (iso: string) => clock.set(DateTime.fromISO(iso, { zone: config.APP_TIMEZONE }));

describe('npm run cli -- deadline', () => {
  let database: Database;
  let svc: Services;
  const run = (...argv: string[]) => cli(database, config, argv, clock);
  const add = (...extra: string[]) => run('deadline', 'add', '--title', 'Báo cáo kế hoạch thực hiện Nghị quyết', ...extra);
  const count = () => database.prisma.deadline.count();

  beforeAll(async () => {
    database = await openTestDatabase();
    await setupOrg(database, config, ['hanh', 'lan', 'long']);
    svc = { db: database.prisma, config, clock, log: createLogger('silent'), botUsername: '', kick: () => undefined };
  });
  afterAll(() => database?.close());
  beforeEach(() => setNow('2026-12-20T10:00'));

  it('creates a deadline, prints its id, and queues the announcement to each secretary', async () => {
    const res = await add(
      '--due',
      '31/12/2026',
      '--units',
      'CB1-BTG,CB2-BTG,CB3-BTG',
      '--doc',
      '65-CV/BTGQU',
      '--link',
      'https://tuyengiao.vn/tai-lieu',
    );
    expect(res.code, res.err).toBe(0);
    const id = Number(res.out.split('\n')[0]);
    expect(id).toBeGreaterThan(0);
    expect(res.out).toContain('3 đơn vị');
    const d = await database.prisma.deadline.findUniqueOrThrow({ where: { id }, include: { units: true } });
    expect(DateTime.fromJSDate(d.dueAt, { zone: config.APP_TIMEZONE }).toFormat('dd/MM/yyyy HH:mm:ss')).toBe('31/12/2026 23:59:59');
    expect(d.remindDays).toEqual([7, 3, 1, 0]);
    expect(d.units).toHaveLength(3);
    const outbox = await database.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `deadline:${id}:` } } });
    expect(outbox).toHaveLength(3); // Hạnh, Lan, Long; Hùng (CB2) has no chat yet
    const text = (outbox[0]!.payload as { text: string }).text;
    expect(text).toContain('trước 23:59 Thứ Năm, 31/12/2026');
    expect(text).toContain('còn 11 ngày');
    expect(text).toContain('65-CV/BTGQU');
    expect(text).toContain('<a href="https://tuyengiao.vn/tai-lieu">');
    expect(JSON.stringify(outbox[0]!.payload)).toContain(`dl:done:${id}:`);
  });

  it('takes an ISO date with a time, custom reminders, and a subtree of chi bộ', async () => {
    const res = await add(
      '--due',
      '2026-12-31',
      '--time',
      '17:00',
      '--units',
      'DBK',
      '--subtree',
      '--kind',
      'chi_bo',
      '--remind',
      '14,7,3,1,0',
    );
    expect(res.code, res.err).toBe(0);
    const id = Number(res.out.split('\n')[0]);
    expect(res.out).toContain('trước 17:00 Thứ Năm, 31/12/2026');
    const d = await database.prisma.deadline.findUniqueOrThrow({ where: { id }, include: { units: { include: { unit: true } } } });
    expect(d.units.map((u) => u.unit.code).sort()).toEqual(['CB1-BTG', 'CB1-MT', 'CB2-BTG', 'CB3-BTG', 'CBCS-HLH']);
    expect(d.remindDays).toEqual([14, 7, 3, 1, 0]);
  });

  it.each([
    ['a past due date', ['--due', '19/12/2026', '--units', 'CB1-BTG'], 'đã qua'],
    ['today already over', ['--due', '20/12/2026', '--time', '09:00', '--units', 'CB1-BTG'], 'đã qua'],
    ['31/02', ['--due', '31/02/2027', '--units', 'CB1-BTG'], 'Ngày «31/02/2027» không hợp lệ'],
    ['a bad time', ['--due', '31/12/2026', '--time', '25:00', '--units', 'CB1-BTG'], 'Giờ «25:00» không hợp lệ'],
    ['an unknown unit', ['--due', '31/12/2026', '--units', 'CB1-BTG,KHONGCO'], 'Không có đơn vị mã «KHONGCO»'],
    [
      'a link that is not http(s)',
      ['--due', '31/12/2026', '--units', 'CB1-BTG', '--link', 'ftp://files.example/a.doc'],
      'chỉ nhận địa chỉ bắt đầu bằng http',
    ],
    ['a bad reminder list', ['--due', '31/12/2026', '--units', 'CB1-BTG', '--remind', '7,ba'], 'Ngày nhắc không hợp lệ'],
    ['a bad kind', ['--due', '31/12/2026', '--units', 'DBK', '--subtree', '--kind', 'to_dang'], 'to_dang'],
    ['a subtree with no chi bộ', ['--due', '31/12/2026', '--units', 'CB1-BTG', '--subtree'], 'Không có đơn vị nào'],
  ])('refuses %s with one clear message and creates nothing', async (_what, argv, message) => {
    const before = await count();
    const outbox = await database.prisma.outboxMessage.count();
    const res = await add(...argv);
    expect(res.code).toBe(1);
    expect(res.err).toContain(message);
    expect(res.err.split('\n')).toHaveLength(1);
    expect(await count()).toBe(before);
    expect(await database.prisma.outboxMessage.count()).toBe(outbox);
  });

  it('prints progress as text, JSON and CSV', async () => {
    const res = await add('--due', '31/12/2026', '--units', 'CB1-BTG,CB2-BTG,CB3-BTG');
    const id = Number(res.out.split('\n')[0]);
    const hanh = { id: await personId(database, 'hanh') };
    const cb1 = { id: await unitId(database, 'CB1-BTG') };
    setNow('2026-12-30T09:15');
    expect(await markReported(svc, { deadlineId: id, unitId: cb1.id, personId: hanh.id, note: 'Đã gửi bản giấy', actor: 'test' })).toEqual({
      ok: true,
    });
    expect(await markReported(svc, { deadlineId: id, unitId: cb1.id, personId: hanh.id, actor: 'test' })).toEqual({
      ok: false,
      reason: 'already',
    });
    const ngocUnit = { id: await unitId(database, 'CB1-MT') };
    expect(await markReported(svc, { deadlineId: id, unitId: ngocUnit.id, personId: hanh.id, actor: 'test' })).toEqual({
      ok: false,
      reason: 'not_target',
    });

    const text = await run('deadline', 'status', String(id));
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain('Đã báo cáo: 1/3');
    expect(text.out).toMatch(/CB1-BTG .*đã nộp 09:15 Thứ Tư, 30\/12\/2026 — Võ Thị Hạnh .*Đã gửi bản giấy/);
    expect(text.out).toMatch(/CB2-BTG .*chưa nộp/);

    setNow('2027-01-01T09:00');
    const json = await run('deadline', 'status', String(id), '--json');
    expect(JSON.parse(json.out)).toMatchObject({
      units: 3,
      reported: 1,
      late: [
        { code: 'CB2-BTG', name: 'Chi bộ 2 (Phòng Lý luận chính trị)' },
        { code: 'CB3-BTG', name: 'Chi bộ 3 (Văn phòng Ban)' },
      ],
    });
    const late = await run('deadline', 'status', String(id));
    expect(late.out).toContain('Quá hạn chưa báo cáo (2): CB2-BTG, CB3-BTG');

    const file = join(mkdtempSync(join(tmpdir(), 'capuy-dl-')), 'status.csv');
    const csv = await run('deadline', 'status', String(id), '--csv', file);
    expect(csv.code, csv.err).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('unit_code,unit_name,status,reported_at,reported_by,note');
    expect(lines[1]).toBe('CB1-BTG,Chi bộ 1 (Phòng Tuyên truyền),reported,2026-12-30T09:15:00+07:00,Võ Thị Hạnh,Đã gửi bản giấy');
    expect(lines[2]).toMatch(/^CB2-BTG,.*,late,,,$/);

    const missing = await run('deadline', 'status', '99999');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Không có hạn báo cáo số 99999');
  });

  it('lists open deadlines and closes one', async () => {
    const res = await add('--due', '31/12/2026', '--units', 'CBCS-HLH');
    const id = Number(res.out.split('\n')[0]);
    expect((await run('deadline', 'list')).out).toMatch(new RegExp(`#${id} .*0/1 .*Báo cáo kế hoạch`));
    expect((await run('deadline', 'close', String(id))).out).toContain(`Đã đóng hạn #${id}`);
    expect((await run('deadline', 'close', String(id))).out).toContain('đã đóng từ trước');
    expect((await run('deadline', 'list')).out).not.toContain(`#${id} `);
  });
});
