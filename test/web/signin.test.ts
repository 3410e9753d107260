import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operator } from '../../src/application/actor.js';
import { removePerson } from '../../src/application/people/access.js';
import { hashToken } from '../../src/domain/invites.js';
import { SIGNIN_PER_MINUTE } from '../../src/web/plugin.js';
import { Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { personId, ROSTER, setupOrg } from '../helpers/roster.js';
import { csrfOf, linkOf, WebClient } from './client.js';

/** Signs in through the link from /web, as a browser would: open it, confirm with the form's token. */
async function signIn(h: Harness, chat: Chat): Promise<WebClient> {
  const web = new WebClient(h);
  const link = linkOf((await chat.say('/web', '/web/login/')).plainText);
  const confirm = await web.get(link);
  expect(confirm.status).toBe(200);
  const done = await web.post(link, { _csrf: csrfOf(confirm.text) });
  expect(done.status).toBe(303);
  expect(done.location).toBe('/web/');
  return web;
}

describe('dashboard sign-in without passwords', () => {
  let h: Harness;
  const an = () => Chat.of(() => h, 'an');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  it('without a session every page leads to a short sign-in explanation with no data', async () => {
    const web = new WebClient(h);
    const res = await web.get('/web/');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/web/signin');
    const help = await web.get('/web/signin');
    expect(help.status).toBe(200);
    expect(help.text).toContain('Gửi lệnh /web');
    expect(help.text).not.toContain(ROSTER.an.name);
    expect(help.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(help.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(help.headers.get('x-frame-options')).toBe('DENY');
    expect(help.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('/web answers with a personal single-use link stored only as a hash; opening it starts a session', async () => {
    const answer = await an().say('/web', '/web/login/');
    const link = linkOf(answer.plainText);
    expect(link.startsWith(`http://localhost:${h.app.port}/web/login/`)).toBe(true);
    const token = link.split('/').at(-1)!;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const row = await h.db.webLoginToken.findFirstOrThrow({
      where: { personId: await personId(h.database, 'an') },
      orderBy: { id: 'desc' },
    });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(10 * 60_000);

    const web = new WebClient(h);
    const confirm = await web.get(link);
    expect(confirm.status).toBe(200);
    // Only opening it (a link preview would) does not use it up.
    expect((await h.db.webLoginToken.findUniqueOrThrow({ where: { id: row.id } })).usedAt).toBeNull();
    const done = await web.post(link, { _csrf: csrfOf(confirm.text) });
    expect(done.status).toBe(303);
    const cookie = web.lastSetCookie.find((c) => c.startsWith('capuy_web='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const home = await web.get('/web/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(ROSTER.an.name);
    expect(await h.db.auditLog.count({ where: { action: 'web.signin', actorId: row.personId } })).toBe(1);

    // The used link shows a polite page asking for /web again, and signs nobody in.
    const other = new WebClient(h);
    const again = await other.get(link);
    expect(again.status).toBe(410);
    expect(again.text).toContain('đã được dùng');
    expect(again.text).toContain('/web');
    const replay = await other.post(link, { _csrf: csrfOf(confirm.text) });
    expect(replay.status).toBe(403);
    expect(other.cookies.has('capuy_web')).toBe(false);
  });

  it('a link opened after 10 minutes has expired', async () => {
    const link = linkOf((await an().say('/web', '/web/login/')).plainText);
    h.clock.set(h.clock.now().plus({ minutes: 11 }));
    const res = await new WebClient(h).get(link);
    expect(res.status).toBe(410);
    expect(res.text).toContain('hết hạn');
    const bogus = await new WebClient(h).get('/web/login/not-a-token');
    expect(bogus.status).toBe(410);
  });

  it('a POST without the CSRF token changes nothing: the link stays unused, the session stays', async () => {
    const link = linkOf((await an().say('/web', '/web/login/')).plainText);
    const web = new WebClient(h);
    await web.get(link);
    const forged = await web.post(link, {});
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('tải lại trang');
    const token = link.split('/').at(-1)!;
    expect((await h.db.webLoginToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } })).usedAt).toBeNull();

    const signed = await signIn(h, an());
    const sessions = await h.db.webSession.count();
    const noCsrf = await signed.post('/web/logout', {});
    expect(noCsrf.status).toBe(403);
    expect(await h.db.webSession.count()).toBe(sessions);
    expect((await signed.get('/web/')).status).toBe(200);
  });

  it('"Đăng xuất" ends the session', async () => {
    const web = await signIn(h, an());
    const home = await web.get('/web/');
    const cookie = web.cookies.get('capuy_web')!;
    const out = await web.post('/web/logout', { _csrf: csrfOf(home.text) });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/web/signin');
    const stale = new WebClient(h);
    stale.cookies.set('capuy_web', cookie);
    expect((await stale.get('/web/')).status).toBe(303);
    expect(await h.db.webSession.count({ where: { tokenHash: hashToken(cookie) } })).toBe(0);
  });

  it('a session idle for 7 days is over; one used within them goes on', async () => {
    const web = await signIn(h, an());
    h.clock.set(h.clock.now().plus({ days: 6 }));
    expect((await web.get('/web/')).status).toBe(200);
    h.clock.set(h.clock.now().plus({ days: 6 }));
    expect((await web.get('/web/')).status).toBe(200);
    h.clock.set(h.clock.now().plus({ days: 7, minutes: 1 }));
    expect((await web.get('/web/')).status).toBe(303);
  });

  it('removing a person from the roster signs them out everywhere', async () => {
    const hanh = Chat.of(() => h, 'hanh');
    const one = await signIn(h, hanh);
    const two = await signIn(h, hanh);
    const unused = linkOf((await hanh.say('/web', '/web/login/')).plainText);
    const res = await removePerson(h.app.svc, operator, { phone: ROSTER.hanh.phone });
    expect(res.ok && res.value.webSessionsEnded).toBe(2);
    expect((await one.get('/web/')).status).toBe(303);
    expect((await two.get('/web/')).status).toBe(303);
    expect((await new WebClient(h).get(unused)).status).toBe(410);
  });

  it('sign-in attempts are rate limited', async () => {
    const web = new WebClient(h);
    // Earlier tests of this file used part of this minute's allowance from the same address.
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i <= SIGNIN_PER_MINUTE; i++) {
      const res = await web.get(`/web/login/${'x'.repeat(43)}`);
      statuses.push(res.status);
      last = res.text;
    }
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(0, first).every((s) => s === 410)).toBe(true);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
    expect(last).toContain('đợi một phút');
  });
});

describe('dashboard sign-in behind https', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00', env: { PUBLIC_URL: 'https://capuy.example.vn/' } });
    await setupOrg(h.database, h.config, ['an']);
  });
  afterAll(() => h?.stop());

  it('links use PUBLIC_URL and the session cookie is Secure', async () => {
    const link = linkOf((await Chat.of(() => h, 'an').say('/web', '/web/login/')).plainText);
    expect(link).toMatch(/^https:\/\/capuy\.example\.vn\/web\/login\/[A-Za-z0-9_-]{43}$/);
    const web = new WebClient(h);
    const path = new URL(link).pathname;
    const confirm = await web.get(path);
    expect(confirm.headers.get('strict-transport-security')).toBeTruthy();
    await web.post(path, { _csrf: csrfOf(confirm.text) });
    expect(web.lastSetCookie.find((c) => c.startsWith('capuy_web='))).toMatch(/Secure/);
  });
});
