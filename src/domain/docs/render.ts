import { formatDate } from '../../core/format.js';
import { escapeHtml } from '../../core/html.js';
import type { TFunction } from '../../i18n.js';
import { issuedOnDate } from './fields.js';
import type { DocView } from './store.js';

/** "3080-CV/BTGTU · Ban Tuyên giáo Thành ủy · 10/07/2023", the parts that are known. */
export function docMeta(doc: Pick<DocView, 'number' | 'issuer' | 'issuedOn'>): string {
  return [doc.number, doc.issuer, doc.issuedOn ? formatDate(issuedOnDate(doc.issuedOn)) : null]
    .filter((s): s is string => !!s)
    .map(escapeHtml)
    .join(' · ');
}

export function docLinks(doc: Pick<DocView, 'urls'>): string[] {
  return doc.urls.map((u) => `🔗 <a href="${escapeHtml(u)}">${escapeHtml(u)}</a>`);
}

/** One entry of a result list. */
export function docListEntry(doc: DocView, n: number): string {
  const meta = docMeta(doc);
  return `<b>${n}.</b> ${escapeHtml(doc.title)}${meta ? `\n    <i>${meta}</i>` : ''}`;
}

/** Everything about a document. */
export function docDetail(t: TFunction, doc: DocView): string {
  const lines = [`📄 <b>${escapeHtml(doc.title)}</b>`];
  if (doc.number) lines.push(t('docs:detail.number', { value: escapeHtml(doc.number) }));
  if (doc.issuer) lines.push(t('docs:detail.issuer', { value: escapeHtml(doc.issuer) }));
  if (doc.issuedOn) lines.push(t('docs:detail.issued_on', { value: formatDate(issuedOnDate(doc.issuedOn)) }));
  lines.push(t('docs:detail.category', { value: escapeHtml(doc.category) }));
  lines.push(
    t('docs:detail.units', {
      value: doc.units.length ? doc.units.map((u) => `${escapeHtml(u.name)} (<code>${escapeHtml(u.code)}</code>)`).join(', ') : t('docs:detail.everyone'),
    }),
  );
  if (doc.tags.length) lines.push(t('docs:detail.tags', { value: doc.tags.map(escapeHtml).join(', ') }));
  if (doc.summary) lines.push('', escapeHtml(doc.summary));
  lines.push('', ...docLinks(doc));
  return lines.join('\n');
}

/** The document as attached to a broadcast: title, number, issuer, date and links. */
export function docBlock(doc: DocView): string {
  const meta = docMeta(doc);
  return [`📄 <b>${escapeHtml(doc.title)}</b>`, ...(meta ? [meta] : []), ...docLinks(doc)].join('\n');
}
