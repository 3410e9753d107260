import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonData, buttonsOf, Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { personId, ROSTER, setupOrg } from '../helpers/roster.js';
import { csrfOf } from './client.js';
import { NOTE, seedDeadline, signedIn, TITLE } from './setup.js';

/** The unit codes of the rows of the per-unit table. */
const unitsOf = (html: string) => [...html.matchAll(/<tr data-unit="([^"]+)"/g)].map((m) => m[1]);

describe('dashboard: overview and one deadline, on the same permissions as the chat', () => {
  let h: Harness;
  let id: number;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
    id = await seedDeadline(h);
    // Wednesday: the deadline passed yesterday at 17:00; three chi bộ have not reported.
    h.clock.set(h.clock.now().plus({ days: 2 }));
  });
  afterAll(() => h?.stop());

  it('the overview shows an admin the open deadline with its progress, late units and the outbox', async () => {
    const web = await signedIn(h, 'an');
    const home = await web.get('/web/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(TITLE);
    expect(home.text).toContain('1/4 đã báo cáo');
    expect(home.text).toContain('3 đơn vị chậm');
    expect(home.text).toContain(
      '3 đơn vị chậm: Chi bộ 1 (Ban Dân chủ – Pháp luật), Chi bộ 2 (Phòng Lý luận chính trị), Chi bộ 3 (Văn phòng Ban)',
    );
    expect(home.text).toContain('Tình trạng gửi tin');
    expect(home.text).toContain('Lịch làm việc tuần (07/12/2026 – 13/12/2026)');
  });

  it('a supervising member sees only his units, a chi bộ secretary only her chi bộ', async () => {
    const dung = await signedIn(h, 'dung');
    const page = await dung.get(`/web/deadlines/${id}`);
    expect(page.status).toBe(200);
    // Dũng is cấp ủy viên of DBK: like /tiendo and /tonghop, the dashboard follows all of DBK (issue 13 #4).
    expect(unitsOf(page.text).sort()).toEqual(['CB1-BTG', 'CB1-MT', 'CB2-BTG', 'CB3-BTG']);
    expect((await dung.get('/web/')).text).toContain('1/4 đã báo cáo');
    expect((await dung.get('/web/')).text).not.toContain('Tình trạng gửi tin');

    const ngoc = await signedIn(h, 'ngoc');
    const hers = await ngoc.get(`/web/deadlines/${id}`);
    expect(unitsOf(hers.text)).toEqual(['CB1-MT']);
    expect(hers.text).not.toContain('Nhắc lại ngay');
    expect((await ngoc.get('/web/')).text).toContain('0/1 đã báo cáo');

    // Someone whose units the deadline does not concern gets "not found", and the attempt is audited.
    const phuc = await signedIn(h, 'phuc');
    const denied = await phuc.get(`/web/deadlines/${id}`);
    expect(denied.status).toBe(404);
    expect(denied.text).not.toContain(TITLE);
    const phucId = await personId(h.database, 'phuc');
    expect(await h.db.auditLog.count({ where: { actorId: phucId, action: 'denied:deadlines.board' } })).toBe(1);
  });

  it('filters late and reported units and shows who reported, when, the note and the supervisors', async () => {
    const web = await signedIn(h, 'binh');
    expect(unitsOf((await web.get(`/web/deadlines/${id}?filter=late`)).text).sort()).toEqual(['CB1-MT', 'CB2-BTG', 'CB3-BTG']);
    const reported = await web.get(`/web/deadlines/${id}?filter=reported`);
    expect(unitsOf(reported.text)).toEqual(['CB1-BTG']);
    expect(reported.text).toContain(ROSTER.hanh.name);
    expect(reported.text).toContain('Thứ Hai, 07/12/2026');
    expect(reported.text).toContain('=HYPERLINK(&quot;https://evil.example&quot;');
    expect(reported.text).toContain(ROSTER.dung.name);
    expect(unitsOf((await web.get(`/web/deadlines/${id}?filter=bogus`)).text)).toHaveLength(4);
    expect((await web.get('/web/deadlines/abc')).status).toBe(404);
  });

  it('a secretary may not remind: the POST is refused, audited, and nothing is queued', async () => {
    const hanh = await signedIn(h, 'hanh');
    const page = await hanh.get(`/web/deadlines/${id}`);
    const before = await h.db.outboxMessage.count();
    const res = await hanh.post(`/web/deadlines/${id}/remind`, { _csrf: csrfOf(page.text) });
    expect(res.status).toBe(303);
    expect(await h.db.outboxMessage.count()).toBe(before);
    const hanhId = await personId(h.database, 'hanh');
    expect(await h.db.auditLog.count({ where: { actorId: hanhId, action: 'denied:deadlines.remind' } })).toBe(1);
  });

  it('"Nhắc lại ngay" reminds the late units in chat once a day; a POST without the CSRF token changes nothing', async () => {
    const web = await signedIn(h, 'dung');
    const page = await web.get(`/web/deadlines/${id}`);
    const before = await h.db.outboxMessage.count();
    const forged = await web.post(`/web/deadlines/${id}/remind`, {});
    expect(forged.status).toBe(403);
    expect(await h.db.outboxMessage.count()).toBe(before);

    const lan = Chat.of(() => h, 'lan');
    const long = Chat.of(() => h, 'long');
    const hung = Chat.of(() => h, 'hung');
    const ngoc = Chat.of(() => h, 'ngoc');
    const counts = [lan, long, hung, ngoc].map((c) => c.messages().length);
    const res = await web.post(`/web/deadlines/${id}/remind`, { _csrf: csrfOf(page.text) });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/web/deadlines/${id}?reminded=2&already=0`);
    // Dũng supervises DB-BTG: its two late chi bộ are reminded, CB1-MT is not his.
    for (const [i, c] of [lan, long, hung].entries()) expect((await c.next(counts[i]!, 'Quá hạn báo cáo')).plainText).toContain(TITLE);
    expect(await h.db.outboxMessage.count({ where: { dedupeKey: { contains: ':now-2026-12-09:' } } })).toBe(3);
    expect(
      ngoc
        .messages()
        .slice(counts[3])
        .some((m) => m.plainText.includes(TITLE)),
    ).toBe(false);

    const after = await web.get(res.location!);
    expect(after.text).toContain('Đã gửi lời nhắc tới 2 đơn vị');
    expect(after.text).toContain('Đã nhắc hôm nay');
    // The same day again (the admin, for every late unit): only CB1-MT is new, the other two are not sent again.
    const an = await signedIn(h, 'an');
    const again = await an.post(`/web/deadlines/${id}/remind`, { _csrf: csrfOf((await an.get(`/web/deadlines/${id}`)).text) });
    expect(again.location).toBe(`/web/deadlines/${id}?reminded=1&already=2`);
    expect(await h.db.outboxMessage.count({ where: { dedupeKey: { contains: ':now-2026-12-09:' } } })).toBe(4);
    expect(await h.db.auditLog.count({ where: { action: 'deadline.remind' } })).toBe(2);
  });

  it('exports the table the person sees as XLSX and CSV, the note as plain text', async () => {
    const web = await signedIn(h, 'dung');
    const xlsx = await web.request('GET', `/web/deadlines/${id}/export.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`han-bao-cao-${id}.xlsx`);
    const res = await fetch(`${web.base}/web/deadlines/${id}/export.xlsx`, {
      headers: { cookie: `capuy_web=${web.cookies.get('capuy_web')}` },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]!.slice(1)).toEqual(['Mã', 'Đơn vị', 'Trạng thái', 'Thời điểm', 'Người báo', 'Ghi chú', 'Phụ trách']);
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(['CB1-BTG', 'CB1-MT', 'CB2-BTG', 'CB3-BTG']);
    const cb1 = rows.find((r) => r[1] === 'CB1-BTG')!;
    expect(cb1[6]).toBe(NOTE);
    expect(ws.getCell(`F${rows.indexOf(cb1) + 1}`).type).toBe(ExcelJS.ValueType.String);

    const csv = await web.get(`/web/deadlines/${id}/export.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const table = parse(csv.text.replace(/^\uFEFF/, '')) as string[][];
    expect(table.find((r) => r[0] === 'CB1-BTG')![5]).toBe(`'${NOTE}`);
    expect(table.find((r) => r[0] === 'CB2-BTG')![2]).toBe('Chậm');

    const stranger = await fetch(`${web.base}/web/deadlines/${id}/export.xlsx`, { redirect: 'manual' });
    expect(stranger.status).toBe(303);
  });

  it('the chat offers the same «Nhắc lại ngay» under /tiendo <id>, sharing the once-a-day limit with the dashboard', async () => {
    const binh = Chat.of(() => h, 'binh');
    // Everything late was reminded from the dashboard today: no button.
    expect(buttonData(await binh.say(`/tiendo ${id}`, 'Tiến độ'))).not.toContain(`dl:rn:${id}`);
    h.clock.set(h.clock.now().plus({ days: 1 }));
    const view = await binh.say(`/tiendo ${id}`, 'Tiến độ');
    expect(buttonsOf(view).map((b) => b.text)).toContain('🔔 Nhắc lại ngay 3 đơn vị chậm');
    const lan = Chat.of(() => h, 'lan');
    const seen = lan.messages().length;
    const { answer, message } = await binh.press(`dl:rn:${id}`, { match: 'Đã gửi lời nhắc' });
    expect(answer.text).toBe('Đã nhắc');
    expect(message.plainText).toContain('Đã gửi lời nhắc tới 3 đơn vị');
    expect((await lan.next(seen, 'Quá hạn báo cáo')).plainText).toContain(TITLE);
    const again = await binh.press(`dl:rn:${id}`, { force: view, match: 'không nhắc lại' });
    expect(again.message.plainText).toContain('3 đơn vị đã được nhắc hôm nay');
    // The dashboard sees the chat's reminders too.
    const web = await signedIn(h, 'an');
    expect((await web.get(`/web/deadlines/${id}`)).text).not.toContain('id="remind-all"');
  });
});
