import { DateTime } from 'luxon';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Database } from '../../src/db/client.js';
import { cli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';
import { csv, file } from './setup.js';

const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
const clock = new AdjustableClock(config.APP_TIMEZONE);
clock.set(DateTime.fromISO('2026-11-20T10:00', { zone: config.APP_TIMEZONE }));
const local = (d: Date) => DateTime.fromJSDate(d, { zone: config.APP_TIMEZONE }).toFormat('dd/MM/yyyy HH:mm');

const WEEK = [
  '23/11/2026,08:00,10:00,Họp Thường trực Đảng ủy Khối,"Phòng họp 1, 35 Lê Duẩn",đ/c Nguyễn Văn An,Thường trực Đảng ủy Khối,DBK,W48-01,',
  '24/11/2026,14:00,16:30,Làm việc với Đảng bộ cơ quan Ban Tuyên giáo Thành ủy,"Hội trường A, 35 Lê Duẩn",đ/c Nguyễn Văn An,"đ/c Võ Thị Hạnh, Bí thư Chi bộ 1 (Phòng Tuyên truyền); Văn phòng",DBK,W48-02,CB3-BTG',
  '2026-11-26,7:30,,Dự Hội nghị báo cáo viên tháng 11,Hội trường Thành ủy,,Báo cáo viên các đảng bộ,DBK,W48-03,',
];

describe('schedule import', () => {
  let database: Database;
  const run = (...argv: string[]) => cli(database, config, argv, clock);
  const items = () =>
    database.prisma.scheduleItem.findMany({
      orderBy: { startsAt: 'asc' },
      include: { units: { include: { unit: true } }, people: { include: { person: true } } },
    });

  beforeAll(async () => {
    database = await openTestDatabase();
    await importFixtureOrg(database, config);
  });
  afterAll(() => database?.close());

  it('imports a CSV, resolves who takes part, and a second import changes nothing', async () => {
    const path = csv(...WEEK);
    const first = await run('schedule', 'import', path);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toBe('Đã nhập lịch: 3 mới, 0 cập nhật, 0 hủy, 0 không đổi; 0 tin thông báo thay đổi.');
    const rows = await items();
    expect(rows.map((r) => [local(r.startsAt), r.endsAt && local(r.endsAt), r.ref, r.status])).toEqual([
      ['23/11/2026 08:00', '23/11/2026 10:00', 'W48-01', 'planned'],
      ['24/11/2026 14:00', '24/11/2026 16:30', 'W48-02', 'planned'],
      ['26/11/2026 07:30', null, 'W48-03', 'planned'],
    ]);
    expect(rows[1]!.place).toBe('Hội trường A, 35 Lê Duẩn');
    expect(rows[1]!.people.map((p) => p.person.fullName).sort()).toEqual(['Nguyễn Văn An', 'Võ Thị Hạnh']);
    expect(rows[1]!.units.map((u) => u.unit.code).sort()).toEqual(['CB1-BTG', 'CB3-BTG']);
    expect(rows[0]!.people.map((p) => p.person.fullName)).toEqual(['Nguyễn Văn An']);

    const second = await run('schedule', 'import', path);
    expect(second.out).toBe('Đã nhập lịch: 0 mới, 0 cập nhật, 0 hủy, 3 không đổi; 0 tin thông báo thay đổi.');
    expect(await database.prisma.scheduleItem.count()).toBe(3);
    expect(await database.prisma.scheduleChange.count()).toBe(3); // the three creations only
  });

  it('updates by ref, keeps history, and cancels with status "huy"', async () => {
    const moved = WEEK[1]!.replace('14:00,16:30', '15:00,17:00');
    const path = file(
      'week-v2.csv',
      [
        'date,start,end,content,place,chair,participants,unit_code,ref,participant_units,status',
        `${WEEK[0]},`,
        `${moved},`,
        `${WEEK[2]},Hủy`,
      ].join('\n'),
    );
    const res = await run('schedule', 'import', path);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('0 mới, 1 cập nhật, 1 hủy, 1 không đổi');
    const item = await database.prisma.scheduleItem.findUniqueOrThrow({
      where: { ref: 'W48-02' },
      include: { changes: { orderBy: { id: 'asc' } } },
    });
    expect(local(item.startsAt)).toBe('24/11/2026 15:00');
    expect(item.status).toBe('changed');
    expect(item.version).toBe(2);
    expect(item.changes.map((c) => c.kind)).toEqual(['created', 'updated']);
    expect((item.changes[1]!.before as { startsAt: string }).startsAt).toBe('2026-11-24T07:00:00.000Z');
    expect((await database.prisma.scheduleItem.findUniqueOrThrow({ where: { ref: 'W48-03' } })).status).toBe('cancelled');
    const audit = await database.prisma.auditLog.findFirst({ where: { action: 'schedule.import' }, orderBy: { id: 'desc' } });
    expect(audit?.details).toMatchObject({ updated: 1, cancelled: 1 });
  });

  it('recognises a row without ref by unit, start and content', async () => {
    const row = '27/11/2026,09:00,11:00,Giao ban Văn phòng,Phòng 2,,,DBK,,';
    expect((await run('schedule', 'import', csv(row))).out).toContain('1 mới');
    const res = await run('schedule', 'import', csv(row.replace('Phòng 2', 'Phòng 3')));
    expect(res.out).toContain('0 mới, 1 cập nhật');
    expect(await database.prisma.scheduleItem.count({ where: { content: 'Giao ban Văn phòng' } })).toBe(1);
  });

  it('lists every bad row with its line number and applies nothing', async () => {
    const before = await database.prisma.scheduleItem.count();
    const changes = await database.prisma.scheduleChange.count();
    const path = csv(
      '24/11/2026,08:00,09:00,Nội dung hợp lệ,,,,DBK,NEW-1,', // 2 fine on its own
      '31/02/2026,08:00,,Ngày sai,,,,DBK,NEW-2,', // 3
      '25/11/2026,25:00,,Giờ sai,,,,DBK,NEW-3,', // 4
      '25/11/2026,10:00,09:00,Kết thúc trước bắt đầu,,,,DBK,NEW-4,', // 5
      '25/11/2026,10:00,,,,,,DBK,NEW-5,', // 6 no content
      '25/11/2026,10:00,,Đơn vị lạ,,,,KHONGCO,NEW-6,', // 7
      '25/11/2026,10:00,,Trùng ref,,,,DBK,NEW-1,', // 8
      '25/11/2026,10:00,,Mã tham dự lạ,,,,DBK,NEW-7,CB1-BTG;CB9-XX', // 9
    );
    const res = await run('schedule', 'import', path);
    expect(res.code).toBe(1);
    expect(res.err).toContain('Không nhập gì cả: có 7 dòng lỗi');
    expect(res.err).toMatch(/Dòng 3: ngày «31\/02\/2026» không hợp lệ/);
    expect(res.err).toMatch(/Dòng 4: giờ «25:00» không hợp lệ/);
    expect(res.err).toMatch(/Dòng 5: giờ kết thúc 09:00 không sau giờ bắt đầu 10:00/);
    expect(res.err).toMatch(/Dòng 6: thiếu nội dung/);
    expect(res.err).toMatch(/Dòng 7: không có đơn vị mã «KHONGCO»/);
    expect(res.err).toMatch(/Dòng 8: ref «NEW-1» trùng với dòng 2/);
    expect(res.err).toMatch(/Dòng 9: participant_units: không có đơn vị mã «CB9-XX»/);
    expect(res.err).not.toMatch(/Dòng 2:/);
    expect(await database.prisma.scheduleItem.count()).toBe(before);
    expect(await database.prisma.scheduleChange.count()).toBe(changes);

    const cols = await run('schedule', 'import', file('cols.csv', 'date,start,content\n24/11/2026,08:00,Họp\n'));
    expect(cols.code).toBe(1);
    expect(cols.err).toContain('unit_code');
  });

  it('reads XLSX with real date and time cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Lịch tuần');
    ws.addRow(['date', 'start', 'end', 'content', 'place', 'chair', 'participants', 'unit_code', 'ref']);
    ws.addRow([
      new Date(Date.UTC(2026, 10, 25)),
      new Date(Date.UTC(1899, 11, 30, 13, 30)),
      '15:00',
      'Sơ kết công tác tuyên giáo quý IV',
      'Hội trường A, 35 Lê Duẩn',
      'đ/c Lê Minh Châu',
      'Chi bộ 2 (Phòng Lý luận chính trị)',
      'DBK',
      'X-1',
    ]);
    ws.getCell('B2').numFmt = 'hh:mm';
    const path = file('week.xlsx', '');
    await wb.xlsx.writeFile(path);
    const res = await run('schedule', 'import', path);
    expect(res.code, res.err).toBe(0);
    const item = await database.prisma.scheduleItem.findUniqueOrThrow({
      where: { ref: 'X-1' },
      include: { units: { include: { unit: true } } },
    });
    expect(local(item.startsAt)).toBe('25/11/2026 13:30');
    expect(item.units.map((u) => u.unit.code)).toEqual(['CB2-BTG']);
  });

  it('imports an ICS file for a unit, by UID, and refuses recurring or all-day events', async () => {
    const ics = (start: string, status = '') =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Outlook//VN',
        'BEGIN:VEVENT',
        'UID:outlook-123@vanphong',
        'DTSTAMP:20261120T000000Z',
        `DTSTART;TZID=Asia/Ho_Chi_Minh:${start}`,
        'DTEND;TZID=Asia/Ho_Chi_Minh:20261127T160000',
        'SUMMARY:Làm việc với Chi bộ 3 (Văn phòng Ban)',
        'LOCATION:Phòng họp 2\\, 35 Lê Duẩn',
        'DESCRIPTION:Chủ trì: đ/c Nguyễn Văn An\\nThành phần: Chi bộ 3 (Văn phòng Ban)',
        ...(status ? [`STATUS:${status}`] : []),
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n');
    const noUnit = await run('schedule', 'import', file('a.ics', ics('20261127T140000')));
    expect(noUnit.code).toBe(1);
    expect(noUnit.err).toContain('--unit');
    const res = await run('schedule', 'import', file('a.ics', ics('20261127T140000')), '--unit', 'DBK');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('1 mới');
    const item = await database.prisma.scheduleItem.findUniqueOrThrow({
      where: { ref: 'outlook-123@vanphong' },
      include: { units: { include: { unit: true } }, people: true },
    });
    expect([local(item.startsAt), local(item.endsAt!), item.place, item.chair, item.participants]).toEqual([
      '27/11/2026 14:00',
      '27/11/2026 16:00',
      'Phòng họp 2, 35 Lê Duẩn',
      'đ/c Nguyễn Văn An',
      'Chi bộ 3 (Văn phòng Ban)',
    ]);
    expect(item.units.map((u) => u.unit.code)).toEqual(['CB3-BTG']);
    expect(item.people).toHaveLength(1);

    const moved = await run('schedule', 'import', file('b.ics', ics('20261127T143000')), '--unit', 'DBK');
    expect(moved.out).toContain('0 mới, 1 cập nhật');
    const cancelled = await run('schedule', 'import', file('c.ics', ics('20261127T143000', 'CANCELLED')), '--unit', 'DBK');
    expect(cancelled.out).toContain('1 hủy');

    const bad = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:weekly@x',
      'DTSTART;TZID=Asia/Ho_Chi_Minh:20261123T080000',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'SUMMARY:Giao ban hằng tuần',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:allday@x',
      'DTSTART;VALUE=DATE:20261128',
      'SUMMARY:Ngày hội',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const refused = await run('schedule', 'import', file('bad.ics', bad), '--unit', 'DBK');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/Dòng 3: sự kiện lặp lại «Giao ban hằng tuần»/);
    expect(refused.err).toMatch(/Dòng 9: sự kiện cả ngày «Ngày hội»/);
  });
});
