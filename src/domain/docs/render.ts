import { formatDate } from '../../core/format.js';
import { escapeHtml } from '../../core/html.js';
import { visibleLength } from '../../core/split.js';
import type { TFunction } from '../../i18n.js';
import { issuedOnDate } from './fields.js';
import type { DocView } from './store.js';
import { shorten } from '../../core/shorten.js';

/** The widest channel refuses a text longer than 4096 characters (as shown, tags and hrefs not counted). */
export const MAX_TEXT = 4096;
/** What a view aims at, leaving room for the adapter and a line or two of notes. */
export const VIEW_BUDGET = 4000;

/** For an attribute value in double quotes: `escapeHtml` leaves '"' alone. */
export function escapeAttr(s: string): string {
  return escapeHtml(s).replace(/"/g, '&quot;');
}

/** The length a channel counts: the text without tags, an entity as one character. */
export { visibleLength };

/** "3080-CV/BTGTU · Ban Tuyên giáo Thành ủy · 10/07/2023", the parts that are known. */
export function docMeta(doc: Pick<DocView, 'number' | 'issuer' | 'issuedOn'>): string {
  return [doc.number, doc.issuer, doc.issuedOn ? formatDate(issuedOnDate(doc.issuedOn)) : null]
    .filter((s): s is string => !!s)
    .map(escapeHtml)
    .join(' · ');
}

function link(url: string, shown: string): string {
  return `🔗 <a href="${escapeAttr(url)}">${escapeHtml(shown)}</a>`;
}

/** The links in full (a broadcast shows them as they are). */
export function docLinks(doc: Pick<DocView, 'urls'>): string[] {
  return doc.urls.map((u) => link(u, u));
}

/** A long link shown by its start (the host always whole); the link itself stays complete. */
export function shortUrl(url: string, max = 100): string {
  if (url.length <= max) return url;
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // shown by its start
  }
  return `${url.slice(0, Math.max(max - 1, origin.length + 1))}…`;
}

type UnitRef = DocView['units'][number];

/** "Name (<code>CODE</code>), …" within about `max` visible characters, then "và N đơn vị khác". */
export function unitsHtml(t: TFunction, units: UnitRef[], max = 600): string {
  if (units.length === 0) return t('docs:detail.everyone');
  const parts: string[] = [];
  let used = 0;
  for (const [i, u] of units.entries()) {
    const part = `${escapeHtml(shorten(u.name, 120))} (<code>${escapeHtml(u.code)}</code>)`;
    const len = visibleLength(part) + 2;
    if (parts.length > 0 && used + len > max) {
      parts.push(t('docs:detail.more_units', { count: units.length - i }));
      break;
    }
    parts.push(part);
    used += len;
  }
  return parts.join(', ');
}

/** One entry of a result list. */
export function docListEntry(doc: DocView, n: number): string {
  const meta = docMeta(doc);
  return `<b>${n}.</b> ${escapeHtml(doc.title)}${meta ? `\n    <i>${meta}</i>` : ''}`;
}

export interface DetailOptions {
  /** Visible characters the detail may take (the rest of the message is the caller's). */
  budget?: number;
  /** What "Dành cho:" says instead of the document's units (a preview's "old → new"). */
  audience?: string;
}

/**
 * Everything about a document, within the budget: long links are shown by their start (the link
 * itself is whole), and the summary is cut with a note when the rest leaves no room for all of it.
 */
export function docDetail(t: TFunction, doc: DocView, opts: DetailOptions = {}): string {
  const budget = opts.budget ?? VIEW_BUDGET;
  const head = [`📄 <b>${escapeHtml(doc.title)}</b>`];
  if (doc.number) head.push(t('docs:detail.number', { value: doc.number }));
  if (doc.issuer) head.push(t('docs:detail.issuer', { value: doc.issuer }));
  if (doc.issuedOn) head.push(t('docs:detail.issued_on', { value: formatDate(issuedOnDate(doc.issuedOn)) }));
  head.push(t('docs:detail.category', { value: shorten(doc.category, 100) }));
  head.push(t('docs:detail.units', { value: opts.audience ?? unitsHtml(t, doc.units) }));
  if (doc.tags.length) head.push(t('docs:detail.tags', { value: doc.tags.join(', ') }));

  const all = doc.urls.map((u) => link(u, shortUrl(u)));
  const size = (lines: string[]) => lines.reduce((n, l) => n + visibleLength(l) + 1, 0);
  const linksShown = (n: number) => [
    ...all.slice(0, n),
    ...(n < all.length ? [t('docs:detail.more_links', { count: all.length - n })] : []),
  ];
  // Not even the links fit (a very long audience or category): as many as fit, and how many more.
  let n = all.length;
  while (n > 1 && size(head) + 1 + size(linksShown(n)) > budget) n--;
  const links = linksShown(n);
  const room = budget - size(head) - 1 - size(links);
  const lines = [...head];
  if (doc.summary) {
    const note = t('docs:detail.summary_cut');
    const summaryRoom = room - 1;
    const clipped = summaryRoom - visibleLength(note) - 1;
    if (doc.summary.length <= summaryRoom) lines.push('', escapeHtml(doc.summary));
    else if (clipped > 20) lines.push('', escapeHtml(shorten(doc.summary, clipped)), note);
    else lines.push('', note);
  }
  lines.push('', ...links);
  return lines.join('\n');
}

/** The document as attached to a broadcast: title, number, issuer, date and links. */
export function docBlock(doc: DocView): string {
  const meta = docMeta(doc);
  return [`📄 <b>${escapeHtml(doc.title)}</b>`, ...(meta ? [meta] : []), ...docLinks(doc)].join('\n');
}
