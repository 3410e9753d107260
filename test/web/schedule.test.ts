import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { ROSTER, setupOrg } from '../helpers/roster.js';
import { csrfOf, type WebClient } from './client.js';
import { signedIn } from './setup.js';

const itemsOf = (html: string) => [...html.matchAll(/<li data-item="(\d+)"/g)].map((m) => Number(m[1]));

/** Posts a file as the page's upload form does (multipart), with the session's cookies. */
async function upload(web: WebClient, path: string, fields: Record<string, string>, file?: { name: string; body: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new Blob([file.body], { type: 'text/csv' }), file.name);
  const res = await fetch(`${web.base}${path}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.status, text: await res.text() };
}

const CSV = [
  'date,start,end,content,place,chair,participants,unit_code,ref,participant_units',
  '10/12/2026,08:00,10:00,Họp giao ban Văn phòng,Phòng họp 2,,Võ Thị Hạnh,DBK,GB-1,',
  '11/12/2026,14:00,16:00,Làm việc với Chi bộ 2,Hội trường,,,DBK,LV-2,',
].join('\n');

describe('dashboard: Lịch làm việc tuần, through the same use cases as /themlich and the item card', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  it('the office adds an item; the participant is told in chat; the week shows it with prev/next weeks', async () => {
    const binh = await signedIn(h, 'binh');
    const week = await binh.get('/web/schedule');
    expect(week.status).toBe(200);
    expect(week.text).toContain('Lịch làm việc tuần 07/12/2026 – 13/12/2026');
    expect(week.text).toContain('href="/web/schedule?week=2026-W49" rel="prev"');
    expect(week.text).toContain('href="/web/schedule?week=2026-W51" rel="next"');
    const form = await binh.get('/web/schedule/new');
    const hanh = Chat.of(() => h, 'hanh');
    const seen = hanh.messages().length;
    const bad = await binh.post('/web/schedule/new', {
      _csrf: csrfOf(form.text),
      unit: String((await h.db.unit.findUniqueOrThrow({ where: { code: 'DBK' } })).id),
      date: '01/12/2026',
      time: '08:00',
      content: 'Họp',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('đã qua');
    expect(await h.db.scheduleItem.count()).toBe(0);

    const res = await binh.post('/web/schedule/new', {
      _csrf: csrfOf(form.text),
      unit: String((await h.db.unit.findUniqueOrThrow({ where: { code: 'DBK' } })).id),
      date: '09/12/2026',
      time: '14:00-16:00',
      content: 'Hội nghị sơ kết công tác tuyên giáo',
      place: 'Hội trường A',
      chair: '',
      participants: ROSTER.hanh.name,
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/web/schedule?week=2026-W50&done=added');
    const shown = await binh.get('/web/schedule');
    expect(shown.text).toContain('Hội nghị sơ kết công tác tuyên giáo');
    expect(itemsOf(shown.text)).toHaveLength(1);
    expect(await h.db.auditLog.count({ where: { action: 'schedule.create', actor: 'web' } })).toBe(1);
    // Nobody has been told of the week yet, so the new item is silent; the weekly digest tells them.
    const digest = await cli(h.database, h.config, ['schedule', 'digest', '--now', '--unit', 'DBK'], h.clock);
    expect(digest.code, digest.err).toBe(0);
    h.app.worker.kick();
    expect((await hanh.next(seen, 'Hội nghị sơ kết')).plainText).toContain('Hội trường A');
  });

  it('the office changes and cancels it; each is noticed in chat; a stale form is refused', async () => {
    const binh = await signedIn(h, 'binh');
    const id = (await h.db.scheduleItem.findFirstOrThrow()).id;
    const card = await binh.get(`/web/schedule/items/${id}`);
    expect(card.status).toBe(200);
    const hanh = Chat.of(() => h, 'hanh');
    let seen = hanh.messages().length;
    const shownVersion = /name="version" value="(\d+)"/.exec(card.text)![1]!;
    const changed = await binh.post(`/web/schedule/items/${id}`, {
      _csrf: csrfOf(card.text),
      version: shownVersion,
      date: '09/12/2026',
      time: '14:00-16:00',
      content: 'Hội nghị sơ kết công tác tuyên giáo',
      place: 'Hội trường B',
      chair: '',
      participants: ROSTER.hanh.name,
    });
    expect(changed.status, /role="alert">([^<]*)/.exec(changed.text)?.[1]).toBe(303);
    expect((await hanh.next(seen, 'Hội trường B')).plainText).toContain('Hội nghị sơ kết');
    // The same form again: the item changed meanwhile.
    const stale = await binh.post(`/web/schedule/items/${id}`, {
      _csrf: csrfOf(card.text),
      version: shownVersion,
      date: '09/12/2026',
      time: '15:00',
      content: 'x',
    });
    expect(stale.text).toContain('vừa được người khác thay đổi');
    expect((await h.db.scheduleItem.findUniqueOrThrow({ where: { id } })).content).toBe('Hội nghị sơ kết công tác tuyên giáo');

    seen = hanh.messages().length;
    const fresh = await binh.get(`/web/schedule/items/${id}`);
    const version = /name="version" value="(\d+)"/.exec(fresh.text)![1]!;
    expect(await binh.post(`/web/schedule/items/${id}/cancel`, { version })).toMatchObject({ status: 403 });
    expect((await h.db.scheduleItem.findUniqueOrThrow({ where: { id } })).status).not.toBe('cancelled');
    const cancelled = await binh.post(`/web/schedule/items/${id}/cancel`, { _csrf: csrfOf(fresh.text), version });
    expect(cancelled.status).toBe(303);
    expect((await h.db.scheduleItem.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
    expect((await hanh.next(seen, 'Hội nghị sơ kết')).plainText).toMatch(/hủy/i);
  });

  it('a chi bộ secretary sees the week but may not add or change: refused and audited', async () => {
    const hanh = await signedIn(h, 'hanh');
    const week = await hanh.get('/web/schedule');
    expect(week.text).not.toContain('/web/schedule/new');
    expect(week.text).not.toContain('/web/schedule/items/');
    expect((await hanh.get('/web/schedule/new')).status).toBe(403);
    const id = (await h.db.scheduleItem.findFirstOrThrow()).id;
    const page = await hanh.get(`/web/schedule/items/${id}`);
    expect(page.status).toBe(403);
    const res = await hanh.post(`/web/schedule/items/${id}/restore`, {
      _csrf: csrfOf(week.text),
      version: String((await h.db.scheduleItem.findUniqueOrThrow({ where: { id } })).version),
    });
    expect(res.status).toBe(403);
    expect((await h.db.scheduleItem.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
    expect(await h.db.auditLog.count({ where: { action: 'denied:schedule.restore' } })).toBe(1);
  });

  it('imports a CSV after a preview that changes nothing; a bad file lists its rows; no CSRF, no import', async () => {
    const binh = await signedIn(h, 'binh');
    const page = await binh.get('/web/schedule/import');
    const csrf = csrfOf(page.text);
    const before = await h.db.scheduleItem.count();

    const forged = await upload(binh, '/web/schedule/import', {}, { name: 'lich.csv', body: CSV });
    expect(forged.status).toBe(403);

    const broken = await upload(
      binh,
      '/web/schedule/import',
      { _csrf: csrf },
      { name: 'lich.csv', body: CSV.replace('10/12/2026', '32/12/2026') },
    );
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('Dòng 2');
    expect(broken.text).toContain('32/12/2026');

    const preview = await upload(binh, '/web/schedule/import', { _csrf: csrf }, { name: 'lich.csv', body: CSV });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Nếu nhập: 2 mục mới, 0 cập nhật, 0 hủy, 0 không đổi');
    expect(await h.db.scheduleItem.count()).toBe(before);
    expect(await h.db.auditLog.count({ where: { action: 'schedule.import' } })).toBe(0);

    const rows = /name="rows" value="([^"]+)"/.exec(preview.text)![1]!.replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    const done = await binh.post('/web/schedule/import/apply', { _csrf: csrfOf(preview.text), rows });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Đã nhập lịch: 2 mới');
    expect(await h.db.scheduleItem.count()).toBe(before + 2);

    // A secretary's file for the office's schedule: every row refused, nothing imported.
    const hanh = await signedIn(h, 'hanh');
    const hers = await upload(
      hanh,
      '/web/schedule/import',
      { _csrf: csrfOf((await hanh.get('/web/schedule/import')).text) },
      {
        name: 'lich.csv',
        body: CSV.replaceAll('GB-1', 'GB-9').replaceAll('LV-2', 'LV-9'),
      },
    );
    expect(hers.status).toBe(403);
    expect(await h.db.scheduleItem.count()).toBe(before + 2);
  });
});
