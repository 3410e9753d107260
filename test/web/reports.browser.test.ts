import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CSV } from '../broadcasts/org.js';
import { buttonData, Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { setupOrg, type RosterPerson, type Who } from '../helpers/roster.js';
import { linkOf } from './client.js';
import { addMai, MAI, PROPOSAL, seedQuarters } from './checkinSetup.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join('test', 'output', 'web');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
const NOTICE = 'Đề nghị các đồng chí Bí thư hoàn thành báo cáo quý IV trước ngày 05/01/2027.';

describe.skipIf(!hasChromium)('dashboard in a real browser: Báo cáo quý and Thông báo nhanh', { timeout: 180_000 }, () => {
  let h: Harness;
  let browser: Browser;
  let ids: { q2: number; q3: number; q4: number };
  const contexts: BrowserContext[] = [];
  const url = (path: string) => `http://localhost:${h.app.port}${path}`;
  /** Nothing wider than the phone's screen. */
  const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  async function signIn(who: Who | RosterPerson, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const link = linkOf((await Chat.of(() => h, who).say('/web', '/web/login/')).plainText);
    await page.goto(link);
    await page.waitForURL(/\/web\/$/);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    h = await startHarness({ now: '2026-06-22T09:00' });
    await setupOrg(h.database, h.config);
    await addMai(h);
    ids = await seedQuarters(h);
    const dir = mkdtempSync(join(tmpdir(), 'capuy-web1-'));
    writeFileSync(join(dir, 'docs.csv'), DOCS_CSV);
    const res = await cli(h.database, h.config, ['docs', 'import', join(dir, 'docs.csv')], h.clock);
    expect(res.code, res.err).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.stop();
  });

  it('an admin follows the navigation to a campaign: answers per unit, charts, a line over the quarters, the XLSX', async () => {
    const page = await signIn('an');
    await page.click('nav.nav >> text=Báo cáo quý');
    await page.waitForURL(/\/web\/checkin$/);
    expect(await page.locator('#campaigns li').count()).toBe(3);
    await page.screenshot({ path: join(OUT, 'checkin-list.png'), fullPage: true });
    await page.locator(`li[data-campaign="${ids.q4}"] a.title`).click();
    await page.waitForURL(new RegExp(`/web/checkin/${ids.q4}$`));
    expect(await page.textContent('#progress')).toBe('2/5 đơn vị đã gửi');
    const members = page.locator('[data-question="members_end"]');
    expect(await members.locator('svg.chart').count()).toBe(2);
    expect(await members.locator('svg.chart circle').count()).toBe(3);
    expect(await page.locator('[data-question="proposals"]').textContent()).toContain(PROPOSAL);
    expect(await page.locator('#answers tbody tr').count()).toBe(5);
    await page.screenshot({ path: join(OUT, 'checkin.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    const file = join(OUT, `bao-cao-quy-${ids.q4}.xlsx`);
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toHaveLength(2);
    const rows = (wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));
    expect(rows.slice(1).map((r) => r[2])).toEqual(['CB1-BTG', 'CB1-MT', 'CB2-BTG', 'CB3-BTG', 'CBCS-HLH']);

    await page.setViewportSize(PHONE);
    await page.reload();
    await page.screenshot({ path: join(OUT, 'checkin-360.png'), fullPage: true });
    expect(await fitsPhone(page)).toBeLessThanOrEqual(PHONE.width);

    // Opening by keyboard: the form, its preview, and the refusal of a quarter the units already report.
    await page.setViewportSize(DESKTOP);
    await page.goto(url('/web/checkin/open'));
    await page.selectOption('#unit', { label: 'Đảng bộ cơ quan Ban Tuyên giáo Thành ủy (DB-BTG)' });
    await page.fill('#closes', '05/01/2027 17:00');
    await page.focus('#closes');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#preview-units')).toBe('3 chi bộ thuộc Đảng bộ cơ quan Ban Tuyên giáo Thành ủy');
    await page.screenshot({ path: join(OUT, 'checkin-open.png'), fullPage: true });
    await page.click('#confirm-open');
    await expect.poll(() => page.textContent('#form-error')).toContain('đã có trong đợt báo cáo');
  });

  it('a supervising member sees only her units on a phone', async () => {
    const page = await signIn(MAI, PHONE);
    await page.goto(url(`/web/checkin/${ids.q4}`));
    expect(await page.locator('#answers tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')))).toEqual(['CB1-MT']);
    expect(await fitsPhone(page)).toBeLessThanOrEqual(PHONE.width);
  });

  it('the propaganda department composes and sends a notice; a secretary acknowledges in chat; the page shows it per unit', async () => {
    const page = await signIn('chau');
    await page.click('nav.nav >> text=Thông báo nhanh');
    await page.waitForURL(/\/web\/broadcasts$/);
    await page.click('#compose');
    await page.waitForURL(/\/web\/broadcasts\/new$/);
    await page.fill('#text', NOTICE);
    await page.selectOption('#doc', {
      label: '98/2023/QH15 — Nghị quyết về thí điểm một số cơ chế, chính sách đặc thù phát triển Thành phố Hồ Chí Minh',
    });
    await page.getByLabel('Đảng bộ cơ quan Ban Tuyên giáo Thành ủy (DB-BTG)').check();
    await page.getByLabel('Bí thư', { exact: true }).check();
    await page.getByLabel('Yêu cầu xác nhận', { exact: true }).check();
    await page.screenshot({ path: join(OUT, 'broadcast-new.png'), fullPage: true });
    await page.click('#preview');
    await page.waitForURL(/\/web\/broadcasts\/preview$/);
    expect(await page.textContent('#summary-reach')).toContain('3 người, 0 nhóm');
    await page.screenshot({ path: join(OUT, 'broadcast-preview.png'), fullPage: true });

    const hanh = Chat.of(() => h, 'hanh');
    const seen = hanh.messages().length;
    await page.click('#send');
    await page.waitForURL(/\/web\/broadcasts\/\d+\?sent=1$/);
    const id = Number(/broadcasts\/(\d+)/.exec(page.url())![1]);
    await hanh.next(seen, 'Bí thư hoàn thành báo cáo');
    const withButton = [...hanh.messages()].reverse().find((m) => buttonData(m).includes(`bc:rcv:${id}`))!;
    await hanh.press(`bc:rcv:${id}`, { on: withButton, edit: true });
    await page.reload();
    expect(await page.textContent('#ack-total')).toBe('1/3 người đã xác nhận «Đã nhận»');
    expect(await page.locator('#acks tr[data-unit="CB1-BTG"]').textContent()).toContain('Võ Thị Hạnh');
    await page.screenshot({ path: join(OUT, 'broadcast.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.screenshot({ path: join(OUT, 'broadcast-360.png'), fullPage: true });
    expect(await fitsPhone(page)).toBeLessThanOrEqual(PHONE.width);
    await page.goto(url('/web/broadcasts/new'));
    expect(await fitsPhone(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(OUT, 'broadcast-new-360.png'), fullPage: true });
  });
});
