import { readFileSync } from 'node:fs';
import { plainT as translate, type Locale } from '../i18n.js';

const template = readFileSync(new URL('./public/index.html', import.meta.url), 'utf8');
const cache = new Map<Locale, string>();

/**
 * The page with its labels filled in from locales/<lang>/sandbox.json: `{{key}}` takes
 * `sandbox:page.<key>`, and the script gets `sandbox:client` as JSON for what it writes itself.
 */
export function renderPage(locale: Locale): string {
  let html = cache.get(locale);
  if (html) return html;
  const t = translate(locale);
  const client = JSON.stringify(t('sandbox:client', { returnObjects: true })).replace(/</g, '\\u003c');
  html = template
    .replace(/\{\{(\w+)\}\}/g, (_, key: string) => escapeAttr(t(`sandbox:page.${key}`)))
    .replaceAll('__LANG__', locale)
    .replace('"__STRINGS__"', client);
  cache.set(locale, html);
  return html;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
