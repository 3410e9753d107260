import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUNG, LAN, startTestSandbox, type TestSandbox } from './helpers.js';

describe('sandbox: «Bảng điều hành» opens the dashboard signed in as the demo person', () => {
  let s: TestSandbox;
  beforeAll(async () => {
    s = await startTestSandbox();
  });
  afterAll(() => s?.stop());

  it('gives a linked person a one-time sign-in link that starts their session; an unlinked one gets a polite refusal', async () => {
    const page = await (await fetch(s.url + '/')).text();
    expect(page).toContain('"dashboard":"Bảng điều hành"');
    const res = await s.post(`/sandbox/api/chats/${LAN}/web`, {});
    expect(res.status).toBe(200);
    const url: string = res.body.url;
    expect(url).toMatch(/^\/web\/login\/[A-Za-z0-9_-]{20,}$/);
    const confirm = await fetch(s.url + url);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const cookie = confirm.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const signed = await fetch(s.url + url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(signed.status).toBe(303);
    const session = signed.headers
      .getSetCookie()
      .find((c) => c.startsWith('capuy_web='))!
      .split(';')[0]!;
    const home = await fetch(s.url + '/web/', { headers: { cookie: session }, redirect: 'manual' });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Huỳnh Thị Lan');

    const refused = await s.post(`/sandbox/api/chats/${HUNG}/web`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('chưa liên kết');
  });
});
