import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction, type i18n as I18nInstance } from 'i18next';

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

let instance: I18nInstance | undefined;

export function i18n(): I18nInstance {
  if (instance) return instance;
  const resources = loadResources();
  instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: resources as never,
    lng: 'vi',
    fallbackLng: 'vi',
    ns: Object.keys(resources.vi ?? {}),
    defaultNS: 'core',
    // Messages are HTML for Telegram; values are escaped by the caller with escapeHtml.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}

export function t(locale: string | null | undefined): TFunction {
  return i18n().getFixedT(asLocale(locale));
}

export function asLocale(v: string | null | undefined): Locale {
  return v === 'en' ? 'en' : 'vi';
}
