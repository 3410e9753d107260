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

/** Values interpolated as they are: for plain text (the CLI, CSV/XLSX exports, popups, the sandbox's JSON). */
function plainI18n(): I18nInstance {
  return (plain ??= create(false));
}

/** Translator for HTML messages (chat): values escaped, `{{- name}}` params raw. */
export function t(locale: string | null | undefined): TFunction {
  return i18n().getFixedT(asLocale(locale));
}

/** Translator for plain text (the CLI, exports, popups, the sandbox's JSON): values are inserted unescaped. */
export function plainT(locale: string | null | undefined): TFunction {
  return plainI18n().getFixedT(asLocale(locale));
}

export function asLocale(v: string | null | undefined): Locale {
  return v === 'en' ? 'en' : 'vi';
}
