import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = (lang: string) => new URL(`../../locales/${lang}/`, import.meta.url);
const namespaces = (lang: string) =>
  readdirSync(dir(lang))
    .filter((f) => f.endsWith('.json'))
    .sort();

/** `{ a: { b: 'x' } }` → `{ 'a.b': 'x' }` (arrays and other non-strings are kept as their JSON). */
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** i18next's plural forms of one key: Vietnamese has only `_other`, English `_one` and `_other`. */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseKey = (key: string) => key.replace(PLURAL, '');

/** Every key (plural forms merged) → the strings of all its forms. */
function load(lang: string, ns: string): Map<string, string[]> {
  const flat = flatten(JSON.parse(readFileSync(new URL(ns, dir(lang)), 'utf8')));
  const keys = new Map<string, string[]>();
  for (const [key, text] of flat) keys.set(baseKey(key), [...(keys.get(baseKey(key)) ?? []), text]);
  return keys;
}

/** `{{name}}`, `{{- name}}` (unescaped), `{{name, format}}`. */
const params = (texts: string[]) => new Set(texts.flatMap((s) => [...s.matchAll(/\{\{-?\s*([^\s,}]+)[^}]*\}\}/g)].map((m) => m[1]!)));

describe('locales: vi and en say the same things', () => {
  it('have the same namespace files', () => {
    expect(namespaces('en')).toEqual(namespaces('vi'));
    expect(namespaces('vi')).toContain('core.json');
  });

  describe.each(namespaces('vi'))('%s', (ns) => {
    const vi = load('vi', ns);
    const en = namespaces('en').includes(ns) ? load('en', ns) : new Map<string, string[]>();

    it('has the same keys in both (plural forms counted as one key)', () => {
      expect(vi.size).toBeGreaterThan(0);
      expect({ missingInEn: [...vi.keys()].filter((k) => !en.has(k)) }).toEqual({ missingInEn: [] });
      expect({ missingInVi: [...en.keys()].filter((k) => !vi.has(k)) }).toEqual({ missingInVi: [] });
    });

    it('uses every {{param}} of a Vietnamese string in its English string too', () => {
      const lost = [...vi].flatMap(([key, texts]) => {
        const english = params(en.get(key) ?? []);
        return [...params(texts)].filter((p) => !english.has(p)).map((p) => `${key}: {{${p}}}`);
      });
      expect(lost).toEqual([]);
    });
  });
});
