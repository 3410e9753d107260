import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction, type i18n as I18nInstance } from 'i18next';
import { escapeHtml } from './core/html.js';

export type { TFunction };
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const localesDir = join(dirname(fileURLToPath(import.meta.url)), '../locales');

/** locales/<lang>/<namespace>.json, one namespace per feature. */
function loadResources(): Record<string, Record<string, unknown>> {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const lang of LOCALES) {
    resources[lang] = {};
    for (const file of readdirSync(join(localesDir, lang)).filter((f) => f.endsWith('.json'))) {
      resources[lang][basename(file, '.json')] = JSON.parse(readFileSync(join(localesDir, lang, file), 'utf8'));
    }
  }
  return resources;
}

/**
 * Telegram's HTML subset: `& < >` are special in text, `"` inside attribute values. Not `'` or `/`
 * (i18next's default escape), which would show as `&#x2F;` in `3080-CV/BTGTU` on plain channels.
 */
export function escapeMessageValue(s: string): string {
  return escapeHtml(s).replace(/"/g, '&quot;');
}

/**
 * Namespaces whose interpolated values are HTML-escaped by i18next. A param that carries markup
 * (`unitText(...)`, `linkHtml(...)`, another rendered message) is marked raw in the locale string
 * with `{{- name}}`. Namespaces not listed here still expect their callers to escape by hand.
 */
const ESCAPED_NAMESPACES: ReadonlySet<string> = new Set<string>(['core', 'deadlines', 'checkin', 'schedule', 'docs', 'broadcasts']);

let escaping: I18nInstance | undefined;
let plain: I18nInstance | undefined;

function create(escapeValue: boolean): I18nInstance {
  const resources = loadResources();
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: resources as never,
    lng: 'vi',
    fallbackLng: 'vi',
    ns: Object.keys(resources.vi ?? {}),
    defaultNS: 'core',
    interpolation: escapeValue ? { escapeValue: true, escape: escapeMessageValue } : { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}

/** Messages are HTML for Telegram: interpolated values are escaped, `{{- name}}` params are raw. */
export function i18n(): I18nInstance {
  return (escaping ??= create(true));
}

/** Values interpolated as they are: for plain-text output (the CLI, CSV/XLSX exports). */
function plainI18n(): I18nInstance {
  return (plain ??= create(false));
}

function namespaceOf(key: unknown, opts: unknown): string {
  const first = Array.isArray(key) ? key[0] : key;
  if (typeof first === 'string' && first.includes(':')) return first.slice(0, first.indexOf(':'));
  const ns = (opts as { ns?: unknown } | undefined)?.ns;
  return typeof ns === 'string' ? ns : 'core';
}

/** Translator for HTML messages (chat). */
export function t(locale: string | null | undefined): TFunction {
  const lng = asLocale(locale);
  const escaped = i18n().getFixedT(lng);
  const raw = plainI18n().getFixedT(lng);
  return ((key: unknown, ...rest: unknown[]) => {
    const tr = ESCAPED_NAMESPACES.has(namespaceOf(key, rest[0])) ? escaped : raw;
    return (tr as unknown as (...a: unknown[]) => string)(key, ...rest);
  }) as unknown as TFunction;
}

/** Translator for plain text (the CLI, exports): values are inserted unescaped. */
export function plainT(locale: string | null | undefined): TFunction {
  return plainI18n().getFixedT(asLocale(locale));
}

export function asLocale(v: string | null | undefined): Locale {
  return v === 'en' ? 'en' : 'vi';
}
