import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { FastifyReply } from 'fastify';
import { plainT, type Locale, type TFunction } from '../i18n.js';
import type { PersonActor } from '../application/actor.js';
import { moreNavLinks, type NavLink } from './nav.js';

const here = dirname(fileURLToPath(import.meta.url));
export const VIEWS_DIR = join(here, 'views');
export const PUBLIC_DIR = join(here, 'public');

/** Eta escapes every `<%= %>` value; strings come from `plainT` (unescaped) so nothing is escaped twice. */
export const eta = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: process.env.NODE_ENV === 'production' });

export interface PageData {
  t: TFunction;
  locale: Locale;
  /** The signed-in person, for the header; null on the sign-in pages. */
  me: { name: string } | null;
  csrf: string;
  /** The page's own title (key under web:). */
  title: string;
  /** Which item of the navigation is current. */
  nav?: string;
  /** Further navigation links the person may open. */
  links: NavLink[];
  [key: string]: unknown;
}

/** Renders a page of src/web/views with the layout and the person's language. */
export async function page(
  reply: FastifyReply,
  view: string,
  opts: { actor?: PersonActor | null; title: string; nav?: string; status?: number; data?: Record<string, unknown> },
): Promise<FastifyReply> {
  const locale: Locale = opts.actor?.person.locale === 'en' ? 'en' : 'vi';
  const data: PageData = {
    t: plainT(locale),
    locale,
    me: opts.actor ? { name: opts.actor.person.fullName } : null,
    csrf: reply.generateCsrf(),
    title: opts.title,
    ...(opts.nav ? { nav: opts.nav } : {}),
    links: moreNavLinks(opts.actor),
    ...opts.data,
  };
  return reply
    .code(opts.status ?? 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(await reply.viewAsync(view, data));
}
