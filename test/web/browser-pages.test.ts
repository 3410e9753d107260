import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { ROSTER, setupOrg, type Who } from '../helpers/roster.js';
import { linkOf } from './client.js';
import { seedDeadline } from './setup.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join('test', 'output', 'web');
const hasChromium = existsSync(CHROMIUM);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

describe.skipIf(!hasChromium)('dashboard pages Nhật ký, Lịch, Tài liệu, Tổ chức in a real browser', { timeout: 120_000 }, () => {
  let h: Harness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signIn(who: Who, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(linkOf((await Chat.of(() => h, who).say('/web', '/web/login/')).plainText));
    await page.waitForURL(/\/web\/$/);
    return page;
  }
  const fitsPhone = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
    await seedDeadline(h);
    const res = await cli(
      h.database,
      h.config,
      [
        'docs',
        'add',
        '--title',
        'Hướng dẫn học tập Nghị quyết Đại hội XXI',
        '--number',
        '65-CV/BTGQU',
        '--category',
        'Khác',
        '--url',
        'https://example.vn/65',
      ],
      h.clock,
    );
    expect(res.code, res.err).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.stop();
  });

  it('the office adds an item to the week with the labelled form and cancels it; readable at 360 px', async () => {
    const page = await signIn('binh');
    await page.getByRole('link', { name: 'Lịch làm việc tuần' }).click();
    await page.getByRole('link', { name: '+ Thêm lịch' }).click();
    await page.getByLabel('Ngày', { exact: true }).fill('09/12/2026');
    await page.getByLabel('Giờ', { exact: true }).fill('14:00-16:00');
    await page.getByLabel('Nội dung').fill('Hội nghị sơ kết công tác tuyên giáo');
    await page.getByLabel('Địa điểm').fill('Hội trường A');
    await page.getByLabel('Thành phần').fill(ROSTER.hanh.name);
    await page.getByRole('button', { name: 'Lưu lịch' }).click();
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Đã thêm lịch');
    await page.screenshot({ path: join(OUT, 'schedule.png'), fullPage: true });
    await page.getByRole('link', { name: /Sửa hoặc hủy: Hội nghị sơ kết/ }).click();
    await page.screenshot({ path: join(OUT, 'schedule-item.png'), fullPage: true });
    await page.getByRole('button', { name: 'Hủy lịch này' }).click();
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Đã hủy lịch');
    expect((await h.db.scheduleItem.findFirstOrThrow()).status).toBe('cancelled');

    const phone = await signIn('binh', PHONE);
    await phone.goto(new URL('/web/schedule?week=2026-W50', phone.url()).toString());
    await fitsPhone(phone);
    await phone.screenshot({ path: join(OUT, 'schedule-360.png'), fullPage: true });
  });

  it('Nhật ký filters by action for the admin; Tài liệu finds without diacritics; Tổ chức opens a unit', async () => {
    const page = await signIn('an');
    await page.getByRole('link', { name: 'Nhật ký' }).click();
    await page.getByLabel('Thao tác').selectOption('deadline.create');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/action=deadline\.create/);
    expect(await page.locator('#audit tbody tr').count()).toBe(1);
    await page.screenshot({ path: join(OUT, 'audit.png'), fullPage: true });

    await page.getByRole('link', { name: 'Tài liệu' }).click();
    await page.getByLabel('Tìm theo tên hoặc số hiệu').fill('nghi quyet dai hoi');
    await page.getByLabel('Tìm theo tên hoặc số hiệu').press('Enter');
    await page.waitForURL(/q=nghi/);
    expect(await page.locator('li[data-doc]').count()).toBe(1);
    await page.screenshot({ path: join(OUT, 'docs.png'), fullPage: true });

    await page.getByRole('link', { name: 'Tổ chức' }).click();
    await page.getByRole('link', { name: 'Chi bộ 1 (Phòng Tuyên truyền)' }).click();
    await expect.poll(() => page.locator('#unit-people').textContent()).toContain(ROSTER.hanh.name);
    await page.screenshot({ path: join(OUT, 'org.png'), fullPage: false });

    const phone = await signIn('an', PHONE);
    for (const path of ['/web/audit', '/web/docs', '/web/org', '/web/org/roster']) {
      await phone.goto(new URL(path, phone.url()).toString());
      await fitsPhone(phone);
    }
    await phone.goto(new URL('/web/audit', phone.url()).toString());
    await phone.screenshot({ path: join(OUT, 'audit-360.png'), fullPage: false });
  });

  it('a chi bộ secretary sees only her chi bộ in Tổ chức and has no roster upload', async () => {
    const page = await signIn('ngoc');
    await page.getByRole('link', { name: 'Tổ chức' }).click();
    expect(await page.locator('ul.tree li').evaluateAll((li) => li.map((x) => x.getAttribute('data-unit')))).toEqual(['CB1-MT']);
    expect(await page.getByRole('link', { name: 'Nhập danh sách' }).count()).toBe(0);
  });
});
