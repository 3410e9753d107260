import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { personId, setupOrg } from '../helpers/roster.js';
import { csrfOf, type WebClient } from './client.js';
import { addMai, MAI, PROPOSAL, REMARK, seedQuarters, signedInAs } from './checkinSetup.js';

/** The unit codes of the answers table. */
const unitsOf = (html: string) => [...html.matchAll(/<tr data-unit="([^"]+)"/g)].map((m) => m[1]);
/** The card of one question. */
const card = (html: string, id: string) => {
  const start = html.indexOf(`data-question="${id}"`);
  return html.slice(start, html.indexOf('</section>', start));
};
/** The values written on a chart (bars: after the dash; line: above the points). */
const chartValues = (svg: string) => [...svg.matchAll(/class="chart-value"[^>]*>([^<]+)</g)].map((m) => m[1]);

async function xlsxRows(web: WebClient, path: string): Promise<{ status: number; sheets: unknown[][][]; types: ExcelJS.ValueType[] }> {
  const res = await fetch(`${web.base}${path}`, { headers: { cookie: `capuy_web=${web.cookies.get('capuy_web')}` }, redirect: 'manual' });
  if (res.status !== 200) return { status: res.status, sheets: [], types: [] };
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const sheets = wb.worksheets.map((ws) => (ws.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1)));
  const units = wb.worksheets[0]!;
  const types: ExcelJS.ValueType[] = [];
  units.eachRow((row) => row.eachCell((c) => void types.push(c.type)));
  return { status: res.status, sheets, types };
}

describe('dashboard: Báo cáo quý, on the same permissions as /tonghop and /mobaocao', () => {
  let h: Harness;
  let ids: { q2: number; q3: number; q4: number };

  beforeAll(async () => {
    h = await startHarness({ now: '2026-06-22T09:00' });
    await setupOrg(h.database, h.config);
    await addMai(h);
    ids = await seedQuarters(h);
  }, 120_000);
  afterAll(() => h?.stop());

  it('an admin sees every campaign, every unit’s answers (remarks and proposals too), the totals, bars and a line over the quarters', async () => {
    const web = await signedInAs(h, 'an');
    const list = await web.get('/web/checkin');
    expect(list.status).toBe(200);
    expect([...list.text.matchAll(/data-campaign="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([ids.q4, ids.q3, ids.q2]);
    expect(list.text).toContain('2/5 đơn vị đã gửi');
    expect(list.text).toContain('Mở đợt báo cáo mới');

    const page = await web.get(`/web/checkin/${ids.q4}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Báo cáo tình hình chi bộ Quý IV/2026');
    expect(unitsOf(page.text)).toEqual(['CB1-BTG', 'CB1-MT', 'CB2-BTG', 'CB3-BTG', 'CBCS-HLH']);
    expect(page.text).toContain(
      'Chưa gửi: Chi bộ 2 (Phòng Lý luận chính trị), Chi bộ 3 (Văn phòng Ban), Chi bộ cơ sở Hội Liên hiệp Phụ nữ Thành phố',
    );
    // The remark is shown as text (its markup escaped), the proposal in full.
    expect(page.text).toContain('&lt;b&gt;Cần&lt;/b&gt; quan tâm =SUM(A1) đảng viên trẻ');
    expect(page.text).not.toContain('<b>Cần</b>');
    expect(card(page.text, 'proposals')).toContain(PROPOSAL);
    expect(card(page.text, 'ideology_notes')).toContain('Chi bộ 1 (Phòng Tuyên truyền):');

    const members = card(page.text, 'members_end');
    expect(members).toContain('Tổng: 58');
    expect(members).toContain('2 đơn vị trả lời');
    // Bars per unit, then the line: Q2 75, Q3 80, Q4 58 over the same units.
    expect(chartValues(members)).toEqual(['25', '33', '75', '80', '58']);
    expect(members).toContain('aria-label="Biểu đồ đường qua các quý, Đảng viên cuối quý: II/26: 75, III/26: 80, IV/26: 58"');
    const attendance = card(page.text, 'attendance');
    expect(attendance).toContain('Trung bình: 88%');
    expect(chartValues(attendance)).toEqual(['96%', '80%', '85%', '86,3%', '88%']);
    const ideology = card(page.text, 'ideology');
    expect(ideology).toContain('Ổn định: 0 · Cơ bản ổn định: 1 · Có vấn đề cần quan tâm: 1');
    expect(ideology).not.toContain('Qua các quý');
    // Every answer per unit in the table.
    expect(page.text).toContain('data-q="attendance">96%</td>');
    expect(page.text).toContain('data-q="ideology">Có vấn đề cần quan tâm</td>');
  });

  it('exports the XLSX through the check-in export: both sheets, answers as text, audited', async () => {
    const web = await signedInAs(h, 'an');
    const { status, sheets, types } = await xlsxRows(web, `/web/checkin/${ids.q4}/export.xlsx`);
    expect(status).toBe(200);
    const [units, totals] = sheets;
    expect(units![0]).toContain('Kiến nghị, đề xuất');
    expect(units!.slice(1).map((r) => r[2])).toEqual(['CB1-BTG', 'CB1-MT', 'CB2-BTG', 'CB3-BTG', 'CBCS-HLH']);
    expect(units![1]).toContain(REMARK);
    expect(types).not.toContain(ExcelJS.ValueType.Formula);
    expect(totals!.at(-1)!.slice(1, 4)).toEqual(['Tổng cộng', 5, 2]);
    const anId = await personId(h.database, 'an');
    expect(await h.db.auditLog.count({ where: { actorId: anId, action: 'checkin.export' } })).toBe(1);
  });

  it('a supervising member sees only his units, in the list, the page, the line and the XLSX', async () => {
    const web = await signedInAs(h, MAI);
    const list = await web.get('/web/checkin');
    expect(list.text).toContain('1/1 đơn vị đã gửi');
    expect(list.text).not.toContain('Mở đợt báo cáo mới');
    const page = await web.get(`/web/checkin/${ids.q4}`);
    expect(unitsOf(page.text)).toEqual(['CB1-MT']);
    expect(page.text).not.toContain('Chi bộ 1 (Phòng Tuyên truyền)');
    expect(page.text).not.toContain('quan tâm =SUM');
    expect(chartValues(card(page.text, 'members_end'))).toEqual(['33', '30', '31', '33']);
    const { sheets } = await xlsxRows(web, `/web/checkin/${ids.q4}/export.xlsx`);
    expect(sheets[0]!.slice(1).map((r) => r[2])).toEqual(['CB1-MT']);
  });

  it('a chi bộ secretary sees only her own chi bộ (issue 13 #4); someone without a leadership role gets no summary (audited)', async () => {
    const hanh = await signedInAs(h, 'hanh');
    const own = await hanh.get('/web/checkin');
    expect(own.text).toContain(`data-campaign="${ids.q4}"`);
    const ownPage = await hanh.get(`/web/checkin/${ids.q4}`);
    expect(ownPage.status).toBe(200);
    expect(unitsOf(ownPage.text)).toEqual(['CB1-BTG']);
    expect(ownPage.text).not.toContain('Chi bộ 2 (Phòng Lý luận chính trị)');
    const ownXlsx = await xlsxRows(hanh, `/web/checkin/${ids.q4}/export.xlsx`);
    expect(ownXlsx.sheets[0]!.slice(1).map((r) => r[2])).toEqual(['CB1-BTG']);

    const web = await signedInAs(h, 'tuyen'); // báo cáo viên: no leadership role
    const list = await web.get('/web/checkin');
    expect(list.text).toContain('dành cho cấp ủy, Văn phòng và đồng chí phụ trách');
    expect(list.text).not.toContain('data-campaign=');
    const page = await web.get(`/web/checkin/${ids.q4}`);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('Đảng viên cuối quý');
    const xlsx = await xlsxRows(web, `/web/checkin/${ids.q4}/export.xlsx`);
    expect(xlsx.status).toBe(404);
    const tuyenId = await personId(h.database, 'tuyen');
    expect(await h.db.auditLog.count({ where: { actorId: tuyenId, action: 'denied:checkin.summary' } })).toBeGreaterThanOrEqual(2);
    expect((await web.get('/web/checkin/abc')).status).toBe(404);
    expect((await web.get('/web/checkin/99999/export.xlsx')).status).toBe(404);
  });

  it('opening a campaign: refused for a non-admin (audited), needs the CSRF token, refuses a duplicate, then opens and prompts', async () => {
    const dung = await signedInAs(h, 'dung');
    expect((await dung.get('/web/checkin/open')).status).toBe(403);
    const dungPage = await dung.get('/web/checkin');
    const before = await h.db.checkinCampaign.count();
    const refused = await dung.post('/web/checkin/open', {
      _csrf: csrfOf(dungPage.text),
      period: '2026-Q4',
      unit: String((await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-BTG' } })).id),
      closes: '05/01/2027',
      confirm: '1',
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Đồng chí không có quyền thực hiện thao tác này.');
    expect(await h.db.checkinCampaign.count()).toBe(before);
    const dungId = await personId(h.database, 'dung');
    expect(await h.db.auditLog.count({ where: { actorId: dungId, action: 'denied:checkin.open' } })).toBeGreaterThanOrEqual(1);

    const an = await signedInAs(h, 'an');
    const form = await an.get('/web/checkin/open');
    expect(form.status).toBe(200);
    const mt = String((await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-UBMT' } })).id);
    const fields = { period: '2026-Q4', unit: mt, closes: '05/01/2027' };
    expect((await an.post('/web/checkin/open', { ...fields, confirm: '1' })).status).toBe(403);
    const dup = await an.post('/web/checkin/open', { _csrf: csrfOf(form.text), ...fields, confirm: '1' });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('Đơn vị CB1-MT đã có trong đợt báo cáo');
    expect(await h.db.checkinCampaign.count()).toBe(before);

    // In the new year: 2027-Q1 for DB-UBMT. The preview names the chi bộ; "Mở đợt báo cáo" opens it.
    h.clock.set(DateTime.fromISO('2027-01-08T09:00', { zone: h.config.APP_TIMEZONE }));
    // A month later the session has expired (7 days idle): sign in again.
    expect((await an.get('/web/checkin/open')).location).toBe('/web/signin');
    const again = await signedInAs(h, 'an');
    const fresh = await again.get('/web/checkin/open');
    const next = { ...fields, period: '2027-Q1', closes: '10/04/2027 17:00' };
    const bad = await again.post('/web/checkin/open', { _csrf: csrfOf(fresh.text), ...next, closes: 'hôm qua lúc' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Hạn chót không hợp lệ');
    const preview = await again.post('/web/checkin/open', { _csrf: csrfOf(fresh.text), ...next });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('1 chi bộ thuộc Đảng bộ cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố');
    expect(await h.db.checkinCampaign.count()).toBe(before);
    const ngoc = Chat.of(() => h, 'ngoc');
    const seen = ngoc.messages().length;
    const done = await again.post('/web/checkin/open', { _csrf: csrfOf(preview.text), ...next, confirm: '1' });
    expect(done.status).toBe(303);
    const opened = await h.db.checkinCampaign.findFirstOrThrow({ where: { period: '2027-Q1' } });
    expect(done.location).toBe(`/web/checkin/${opened.id}?opened=1&prompted=1`);
    expect((await ngoc.next(seen, 'Quý I/2027')).plainText).toContain('Chi bộ 1 (Ban Dân chủ – Pháp luật)');
    const page = await again.get(done.location!);
    expect(page.text).toContain('Đã mở đợt báo cáo cho 1 đơn vị');
    expect(page.text).toContain('0/1 đơn vị đã gửi');
  });
});
