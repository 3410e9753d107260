import type { Harness } from '../helpers/harness.js';

/** A browser without a browser: fetch with a cookie jar, no redirects followed, for the dashboard's HTTP tests. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie headers of the last response. */
  lastSetCookie: string[] = [];

  constructor(private readonly h: Harness) {}

  get base(): string {
    return `http://localhost:${this.h.app.port}`;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>,
  ): Promise<{ status: number; location: string | null; text: string; headers: Headers }> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    this.lastSetCookie = res.headers.getSetCookie();
    for (const c of this.lastSetCookie) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string> = {}) {
    return this.request('POST', path, form);
  }
}

/** The CSRF token of the first form of a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF token in ${html.slice(0, 300)}`);
  return m[1]!;
}

/** The sign-in link in the bot's answer to /web. */
export function linkOf(text: string): string {
  const m = /(https?:\/\/\S+\/web\/login\/[A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no sign-in link in ${text}`);
  return m[1]!;
}
