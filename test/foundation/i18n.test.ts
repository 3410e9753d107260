import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../src/emulator/html.js';
import { plainT, t } from '../../src/i18n.js';

const nasty = 'Chi bộ <Phòng> "A" & B, 3080-CV/BTGTU, O\'Neil';

describe('i18n: interpolated values are escaped unless marked raw', () => {
  it('escapes & < > " in a value, and leaves / and \' alone', () => {
    for (const lang of ['vi', 'en']) {
      const text = t(lang)('deadlines:notice.doc', { doc: nasty });
      expect(text).toContain("Chi bộ &lt;Phòng&gt; &quot;A&quot; &amp; B, 3080-CV/BTGTU, O'Neil");
      expect(text).not.toContain('<Phòng>');
      // What Telegram shows is the value exactly as typed.
      expect(parseHtml(text, { strictAmpersand: true }).text).toContain(nasty);
    }
  });

  it('keeps a {{- raw}} param as markup', () => {
    const unit = 'Chi bộ A &amp; B (<code>CB01</code>)';
    for (const lang of ['vi', 'en']) {
      const text = t(lang)('deadlines:notice.unit', { unit });
      expect(text).toContain(unit);
      expect(parseHtml(text, { strictAmpersand: true }).text).toContain('Chi bộ A & B (CB01)');
    }
  });

  it('plainT (CLI, exports) inserts values as they are', () => {
    expect(plainT('vi')('deadlines:notice.doc', { doc: nasty })).toContain(nasty);
  });

  it('vi and en mark the same params raw', () => {
    const dir = (lang: string) => new URL(`../../locales/${lang}/`, import.meta.url);
    const raw = (lang: string, ns: string) => {
      const out = new Set<string>();
      const walk = (v: unknown, key: string): void => {
        if (typeof v === 'string')
          for (const m of v.matchAll(/\{\{-\s*([^\s,}]+)/g)) out.add(`${key.replace(/_(one|other)$/, '')}:${m[1]}`);
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}.${k}` : k);
      };
      walk(JSON.parse(readFileSync(new URL(ns, dir(lang)), 'utf8')), '');
      return out;
    };
    for (const ns of readdirSync(dir('vi')).filter((f) => f.endsWith('.json'))) expect(raw('en', ns), ns).toEqual(raw('vi', ns));
  });
});
