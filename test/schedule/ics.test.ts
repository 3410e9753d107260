import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarUrl } from '../../src/domain/schedule/prefs.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData } from '../helpers/chat.js';
import { ROSTER } from '../helpers/roster.js';
import { csv, file, HEADER, ok, press, say, setupOrg } from './setup.js';

const ROWS = [
  '24/11/2026,14:00,16:30,Làm việc với Chi bộ 1 (Phòng Tuyên truyền),"Hội trường A, 35 Lê Duẩn",đ/c Nguyễn Văn An,đ/c Võ Thị Hạnh,DBK,ICS-1,',
  '25/11/2026,08:00,,Họp Thường trực Đảng ủy Khối,Phòng họp 1,,,DBK,ICS-2,',
  '26/11/2026,09:00,10:00,Sinh hoạt Đảng bộ cơ quan Ủy ban Mặt trận,Phòng họp MT,,,DB-UBMT,ICS-3,',
];

describe('private calendar feed (/lich ics)', () => {
  let h: Harness;
  let token: string;
  const feed = (t: string) => fetch(`http://127.0.0.1:${h.app.port}/lich/${t}`);
  const events = async (t: string) => {
    const res = await feed(`${t}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const parsed = ical.sync.parseICS(await res.text());
    return Object.values(parsed).filter((c): c is ical.VEvent => c?.type === 'VEVENT');
  };
  const uidOf = async (ref: string) => `schedule-${(await h.db.scheduleItem.findUniqueOrThrow({ where: { ref } })).id}@capuy-bot`;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-23T08:00' });
    await setupOrg(h.database, h, 'hanh', 'binh');
    await ok(h, 'schedule', 'import', csv(...ROWS));
  });
  afterAll(() => h?.stop());

  it('gives each person a private link whose feed a real ICS parser reads back', async () => {
    const [msg] = await say(h, 'hanh', '/lich ics');
    const m = /http:\/\/localhost:0\/lich\/([A-Za-z0-9_-]{32})\.ics/.exec(msg!.plainText);
    expect(m, msg!.plainText).not.toBeNull();
    token = m![1]!;
    expect(msg!.plainText).toContain('Google Calendar');
    expect(buttonData(msg!)).toEqual(['sch:ics:new', 'sch:ics:off']);
    expect((await say(h, 'hanh', '/lich ics'))[0]!.plainText).toContain(token); // the same link until renewed

    const evs = await events(token);
    expect(evs.map((e) => e.uid).sort()).toEqual([await uidOf('ICS-1'), await uidOf('ICS-2')].sort()); // not the Mặt trận's schedule
    const work = evs.find((e) => e.summary === 'Làm việc với Chi bộ 1 (Phòng Tuyên truyền)')!;
    expect(work.start.toISOString()).toBe('2026-11-24T07:00:00.000Z'); // 14:00 in Hà Nội time
    expect(work.end.toISOString()).toBe('2026-11-24T09:30:00.000Z');
    expect(work.location).toBe('Hội trường A, 35 Lê Duẩn');
    expect(work.description).toContain('Chủ trì: đ/c Nguyễn Văn An');
    expect(work.status).toBe('CONFIRMED');
    expect(Object.keys(work.alarms ?? {}).length).toBeGreaterThan(0); // she takes part: her phone reminds her
    const meeting = evs.find((e) => e.summary === 'Họp Thường trực Đảng ủy Khối')!;
    expect(meeting.end.getTime() - meeting.start.getTime()).toBe(3_600_000); // no end time: one hour
  });

  it('holds what /lich shows: the office also gets the schedules it keeps, without alarms', async () => {
    const [msg] = await say(h, 'binh', '/lich ics');
    const own = /\/lich\/([A-Za-z0-9_-]{32})\.ics/.exec(msg!.plainText)![1]!;
    const evs = await events(own);
    expect(evs.map((e) => e.uid).sort()).toEqual([await uidOf('ICS-1'), await uidOf('ICS-2'), await uidOf('ICS-3')].sort());
    const mtUid = await uidOf('ICS-3');
    const mt = evs.find((e) => e.uid === mtUid)!;
    expect(Object.keys(mt.alarms ?? {})).toHaveLength(0); // she does not take part
    const [week] = await say(h, 'binh', '/lich');
    for (const e of evs) expect(week!.plainText).toContain(e.summary);
  });

  it('keeps the UID when an item changes, so calendars replace the event', async () => {
    const moved = ROWS[0]!.replace('14:00,16:30', '15:00,17:00');
    await ok(h, 'schedule', 'import', file('ics-v2.csv', `${HEADER},status\n${moved},\n${ROWS[1]},huy`));
    const evs = await events(token);
    expect(evs).toHaveLength(2);
    const work = evs.find((e) => e.summary === 'Làm việc với Chi bộ 1 (Phòng Tuyên truyền)')!;
    expect(work.uid).toBe(await uidOf('ICS-1'));
    expect(work.start.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(Number(work.sequence)).toBe(2);
    const cancelled = evs.find((e) => e.summary === 'Họp Thường trực Đảng ủy Khối')!;
    expect(cancelled.uid).toBe(await uidOf('ICS-2'));
    expect(cancelled.status).toBe('CANCELLED');
  });

  it('refuses a wrong, renewed or revoked secret', async () => {
    expect((await feed('A'.repeat(32) + '.ics')).status).toBe(404);
    expect((await feed(token)).status).toBe(404); // without .ics
    expect((await feed('..%2F..%2Fetc%2Fpasswd.ics')).status).toBe(404);

    const [msg] = await say(h, 'hanh', '/lich ics');
    await press(h, 'hanh', msg!, 'sch:ics:new');
    const renewed = await h.emulator.waitUntil(() => {
      const m = /\/lich\/([A-Za-z0-9_-]{32})\.ics/.exec(
        h.emulator.messagesTo(ROSTER.hanh.tg).find((x) => x.message_id === msg!.message_id)!.plainText,
      );
      return m && m[1] !== token ? m[1] : undefined;
    });
    expect((await feed(`${token}.ics`)).status).toBe(404);
    expect(await events(renewed)).toHaveLength(2);

    await press(h, 'hanh', msg!, 'sch:ics:off');
    await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.hanh.tg).find((x) => x.plainText.startsWith('Đã thu hồi')));
    expect((await feed(`${renewed}.ics`)).status).toBe(404);
    expect(await h.db.auditLog.count({ where: { action: { in: ['schedule.ics.renew', 'schedule.ics.revoke'] } } })).toBe(2);
  });

  it('builds the link on PUBLIC_URL when there is one', () => {
    expect(calendarUrl({ PUBLIC_URL: 'https://capuy.example.vn/', PORT: 8080 }, 'abc')).toBe('https://capuy.example.vn/lich/abc.ics');
    expect(calendarUrl({ PORT: 8080 }, 'abc')).toBe('http://localhost:8080/lich/abc.ics');
  });
});
