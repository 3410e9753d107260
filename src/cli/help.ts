import { plainT as t, type Locale } from '../i18n.js';

/**
 * Language of the command-line help: Vietnamese unless CAPUY_LANG=en. Not taken from LANG, which
 * is en_US on many servers that Vietnamese offices use.
 */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  return env.CAPUY_LANG === 'en' ? 'en' : 'vi';
}

/** Help text for commander (`cli:help.<key>` in locales/<lang>/cli.json); built at registration time. */
export const help = (key: string, vars: Record<string, string> = {}): string => t(cliLocale())(`cli:help.${key}`, vars);
