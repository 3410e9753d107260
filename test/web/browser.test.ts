import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { setupOrg, type Who } from '../helpers/roster.js';
import { linkOf } from './client.js';
import { seedDeadline, TITLE } from './setup.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join('test', 'output', 'web');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

/** The rows of the per-unit table, by unit code. */
const unitCodes = (page: Page) => page.locator('#units tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')));

describe.skipIf(!hasChromium)('dashboard in a real browser', { timeout: 120_000 }, () => {
  let h: Harness;
  let browser: Browser;
  let id: number;
  const contexts: BrowserContext[] = [];

  async function run(...argv: string[]) {
    const res = await cli(h.database, h.config, argv, h.clock);
    expect(res.code, res.err).toBe(0);
  }

  /** A fresh browser (own cookies) for a person, signed in the way people do: /web in chat, then the link. */
  async function signIn(who: Who, viewport = DESKTOP): Promise<{ page: Page; link: string }> {
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const link = linkOf((await Chat.of(() => h, who).say('/web', '/web/login/')).plainText);
    await page.goto(link);
    await page.waitForURL(/\/web\/$/);
    return { page, link };
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
    id = await seedDeadline(h);
    // The rest of a week in the dashboard: a quarterly check-in, two schedule items, a notice to acknowledge.
    await run('checkin', 'open', '--period', '2026-Q4', '--units', 'DB-BTG', '--closes', '05/01/2027');
    const dir = mkdtempSync(join(tmpdir(), 'capuy-web-'));
    writeFileSync(
      join(dir, 'lich.csv'),
      [
        'date,start,end,content,place,chair,participants,unit_code,ref,participant_units,status',
        '08/12/2026,08:00,10:00,Họp Ban Thường vụ Đảng ủy Khối,Phòng họp tầng 2,,,DBK,W-1,,',
        '10/12/2026,14:00,16:30,Sinh hoạt chuyên đề quý IV,Hội trường A,,,DB-BTG,W-2,,',
      ].join('\n'),
    );
    await run('schedule', 'import', join(dir, 'lich.csv'));
    writeFileSync(join(dir, 'tb.txt'), 'Đề nghị các chi bộ hoàn thành báo cáo sơ kết trước ngày 08/12/2026.');
    await run('broadcast', '--to', 'DB-BTG', '--text-file', join(dir, 'tb.txt'), '--ack');
    // Wednesday: the deadline passed yesterday; three chi bộ have not reported.
    h.clock.set(h.clock.now().plus({ days: 2 }));
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
    // Seeding through the command line and starting Chromium take long on a loaded 2-core machine.
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.stop();
  });

  it('without a session a page explains how to sign in and shows no data', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`http://localhost:${h.app.port}/web/deadlines/${id}`);
    expect(page.url()).toMatch(/\/web\/signin$/);
    await expect.poll(() => page.textContent('h1')).toBe('Đăng nhập Bảng điều hành');
    expect(await page.content()).not.toContain(TITLE);
    await page.screenshot({ path: join(OUT, 'signin-360.png'), fullPage: true });
  });

  it('an admin signs in with /web, sees the deadline, reminds the late units by keyboard and exports the XLSX', async () => {
    const { page, link } = await signIn('an');
    const item = page.locator('li.deadline', { hasText: TITLE });
    await expect.poll(() => item.locator('.legend').textContent()).toContain('1/4 đã báo cáo');
    expect(await item.locator('.legend .late').textContent()).toContain('3 đơn vị chậm');
    expect(await item.locator('svg.bar .bar-late').getAttribute('width')).toBe('75.00');
    expect(await page.textContent('#h-schedule')).toContain('Lịch làm việc tuần');
    expect(await page.textContent('main')).toContain('Họp Ban Thường vụ Đảng ủy Khối');
    expect(await page.textContent('main')).toContain('Sinh hoạt chuyên đề quý IV');
    expect(await page.textContent('main')).toContain('0/2 người đã xác nhận');
    expect(await page.textContent('main')).toContain('Tình trạng gửi tin');
    expect(await page.textContent('#h-checkin + p')).toBe('Đợt Quý IV/2026, hạn 05/01/2027');
    await page.screenshot({ path: join(OUT, 'overview.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(OUT, 'overview-360.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);

    await item.locator('a.title').click();
    await page.waitForURL(new RegExp(`/web/deadlines/${id}$`));
    expect(await unitCodes(page)).toEqual(['CB1-BTG', 'CB1-MT', 'CB2-BTG', 'CB3-BTG']);

    const chats = (['hung', 'lan', 'long', 'ngoc'] as const).map((w) => Chat.of(() => h, w));
    const seen = chats.map((c) => c.messages().length);
    await page.screenshot({ path: join(OUT, 'deadline-late.png'), fullPage: true });
    await page.focus('#remind-all');
    await page.keyboard.press('Enter');
    await page.waitForURL(/reminded=3/);
    expect(await page.textContent('[role=status]')).toContain('Đã gửi lời nhắc tới 3 đơn vị');
    for (const [i, c] of chats.entries()) expect((await c.next(seen[i]!, 'Quá hạn báo cáo')).plainText).toContain(TITLE);
    expect(await page.locator('#remind-all').count()).toBe(0);
    await page.screenshot({ path: join(OUT, 'deadline.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Tải về XLSX')]);
    const file = join(OUT, `han-${id}.xlsx`);
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const rows = (wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));
    expect(rows[0]).toEqual(['Mã', 'Đơn vị', 'Trạng thái', 'Thời điểm', 'Người báo', 'Ghi chú', 'Phụ trách']);
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([
      ['CB1-BTG', 'Đã báo cáo'],
      ['CB1-MT', 'Chậm'],
      ['CB2-BTG', 'Chậm'],
      ['CB3-BTG', 'Chậm'],
    ]);

    await page.locator('nav.filters a', { hasText: 'Chậm' }).click();
    await page.waitForURL(/filter=late/);
    expect(await unitCodes(page)).toEqual(['CB1-MT', 'CB2-BTG', 'CB3-BTG']);
    await page.setViewportSize(PHONE);
    await page.goto(`http://localhost:${h.app.port}/web/deadlines/${id}`);
    await page.screenshot({ path: join(OUT, 'deadline-360.png'), fullPage: true });
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // The used link no longer signs anyone in.
    const other = await browser.newContext();
    contexts.push(other);
    const again = await other.newPage();
    await again.goto(link);
    expect(await again.textContent('main')).toContain('Đường dẫn đăng nhập này đã được dùng');
    expect(await again.textContent('main')).toContain('/web');
    expect(await other.cookies()).not.toContainEqual(expect.objectContaining({ name: 'capuy_web' }));
  });

  it('a supervising member sees only his units; a chi bộ secretary only her chi bộ', async () => {
    // Dũng is also cấp ủy viên of DBK, which oversees the whole bloc (issue 13 #4); here he is only phụ trách DB-BTG.
    await h.db.roleAssignment.deleteMany({ where: { person: { phone: '+84908765432' }, role: 'cap_uy_vien' } });
    const { page } = await signIn('dung');
    await expect.poll(() => page.locator('li.deadline .legend').first().textContent()).toContain('1/3 đã báo cáo');
    expect(await page.locator('#h-outbox').count()).toBe(0);
    await page.goto(`http://localhost:${h.app.port}/web/deadlines/${id}`);
    expect(await unitCodes(page)).toEqual(['CB1-BTG', 'CB2-BTG', 'CB3-BTG']);

    const { page: hers } = await signIn('ngoc', PHONE);
    await expect.poll(() => hers.locator('li.deadline .legend').first().textContent()).toContain('0/1 đã báo cáo');
    expect(await hers.textContent('main')).not.toContain('Sinh hoạt chuyên đề quý IV');
    await hers.goto(`http://localhost:${h.app.port}/web/deadlines/${id}`);
    expect(await unitCodes(hers)).toEqual(['CB1-MT']);
    expect(await hers.locator('text=Nhắc lại ngay').count()).toBe(0);
    await hers.screenshot({ path: join(OUT, 'deadline-secretary-360.png'), fullPage: true });
  });

  it('a POST without a session or without the CSRF token changes nothing', async () => {
    const { page } = await signIn('binh');
    const queued = () => h.db.outboxMessage.count();
    const marks = () => h.db.jobMark.count({ where: { key: { contains: 'remind-now' } } });
    const before = [await queued(), await marks()];
    // Tomorrow the units could be reminded again: only a valid request may do it.
    h.clock.set(h.clock.now().plus({ days: 1 }));
    const url = `http://localhost:${h.app.port}/web/deadlines/${id}/remind`;
    const noCsrf = await page.request.post(url, { form: { unit: '1' }, maxRedirects: 0 });
    expect(noCsrf.status()).toBe(403);
    const context = await browser.newContext();
    contexts.push(context);
    const noSession = await context.request.post(url, { form: {}, maxRedirects: 0 });
    expect([303, 403]).toContain(noSession.status());
    const signOut = await context.request.post(`http://localhost:${h.app.port}/web/logout`, { form: {}, maxRedirects: 0 });
    expect([303, 403]).toContain(signOut.status());
    expect([await queued(), await marks()]).toEqual(before);
    await page.reload();
    expect(await page.textContent('main')).toContain('Tổng quan');

    await page.click('text=Đăng xuất');
    await page.waitForURL(/\/web\/signin$/);
    await page.goto(`http://localhost:${h.app.port}/web/`);
    expect(page.url()).toMatch(/\/web\/signin$/);
  });
});
