import type { DateTime } from 'luxon';
import { formatDate, formatDateTime, formatTime } from '../../core/format.js';
import { escapeHtml } from '../../core/html.js';
import type { Keyboard, OutgoingMessage } from '../../core/messages.js';
import { clipHtml } from '../../core/split.js';
import { t as translate, type TFunction } from '../../i18n.js';
import { displayPhone } from '../phone.js';
import { checkinButtons } from '../checkin/buttons.js';
import { dlButtons } from './buttons.js';
import { daysLeft, local } from './time.js';

export interface DeadlineView {
  id: number;
  kind: string;
  title: string;
  dueAt: DateTime;
  docNumber: string | null;
  link: string | null;
}

export function toView(
  d: { id: number; kind: string; title: string; dueAt: Date; docNumber: string | null; link: string | null },
  zone: string,
): DeadlineView {
  return { id: d.id, kind: d.kind, title: d.title, dueAt: local(d.dueAt, zone), docNumber: d.docNumber, link: d.link };
}

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

/** "trước 17:00 Thứ Năm, 31/12/2026" */
export function dueText(t: TFunction, locale: string, dueAt: DateTime): string {
  return t('deadlines:due', { when: formatDateTime(dueAt, locale) });
}

/** "còn 2 ngày", "hạn chót là hôm nay", "quá hạn 3 ngày". */
export function leftText(t: TFunction, now: DateTime, dueAt: DateTime): string {
  const n = daysLeft(now, dueAt);
  if (now > dueAt) return n < 0 ? t('deadlines:left.overdue', { count: -n }) : t('deadlines:left.passed');
  if (n === 0) return t('deadlines:left.today');
  if (n === 1) return t('deadlines:left.tomorrow');
  return t('deadlines:left.days', { count: n });
}

export function unitText(u: UnitRef): string {
  return `${escapeHtml(u.name)} (<code>${escapeHtml(u.code)}</code>)`;
}

export function linkHtml(url: string): string {
  const safe = escapeHtml(url).replace(/"/g, '&quot;');
  return `<a href="${safe}">${escapeHtml(url)}</a>`;
}

/** Title, unit, due moment with days left, document number and link. */
export function deadlineLines(t: TFunction, locale: string, d: DeadlineView, unit: UnitRef | null, now: DateTime): string[] {
  const lines = [`<b>${escapeHtml(d.title)}</b>`];
  if (unit) lines.push(t('deadlines:notice.unit', { unit: unitText(unit) }));
  lines.push(t('deadlines:notice.due', { due: dueText(t, locale, d.dueAt), left: leftText(t, now, d.dueAt) }));
  if (d.docNumber) lines.push(t('deadlines:notice.doc', { doc: d.docNumber }));
  if (d.link) lines.push(t('deadlines:notice.link', { link: linkHtml(d.link) }));
  return lines;
}

export function reportButtons(t: TFunction, d: DeadlineView, unitId: number): Keyboard {
  const row = [{ text: t('deadlines:buttons.info'), data: dlButtons.pack('info', { deadlineId: d.id, unitId }) }];
  // Check-ins are reported by answering them, not by a button here.
  if (d.kind === 'deadline') row.unshift({ text: t('deadlines:buttons.done'), data: dlButtons.pack('done', { deadlineId: d.id, unitId }) });
  return [row];
}

export type NoticeKind = 'new' | 'remind' | 'overdue';

/** A check-in deadline's report for one unit: its campaign and how far the draft has got. */
export interface CheckinDraft {
  campaignId: number;
  answered: number;
  total: number;
}

/**
 * What a secretary gets: the announcement, a reminder, or the overdue notice. For a check-in
 * (issue 13 #8) it says how far the unit's draft has got and carries the button that opens it.
 */
export function noticeMessage(
  kind: NoticeKind,
  locale: string,
  d: DeadlineView,
  unit: UnitRef,
  now: DateTime,
  draft?: CheckinDraft,
): OutgoingMessage {
  const t = translate(locale);
  if (draft) {
    const lines = [
      kind === 'remind' && daysLeft(now, d.dueAt) === 0 ? t('deadlines:notice.remind_today_title') : t(`deadlines:notice.${kind}_title`),
    ];
    lines.push(...deadlineLines(t, locale, d, unit, now), '');
    if (draft.answered > 0) lines.push(t('deadlines:notice.checkin_draft', { answered: draft.answered, total: draft.total }));
    lines.push(t(draft.answered > 0 ? 'deadlines:notice.checkin_footer_resume' : 'deadlines:notice.checkin_footer'));
    const go = checkinButtons.pack('go', { campaign: draft.campaignId, unit: unit.id });
    const label = t(draft.answered > 0 ? 'deadlines:buttons.checkin_resume' : 'deadlines:buttons.checkin_start');
    return { text: lines.join('\n'), buttons: [[{ text: label, data: go }], ...reportButtons(t, d, unit.id)] };
  }
  const heading =
    kind === 'remind' && daysLeft(now, d.dueAt) === 0 ? t('deadlines:notice.remind_today_title') : t(`deadlines:notice.${kind}_title`);
  const footer =
    d.kind === 'deadline'
      ? t(`deadlines:notice.${kind}_footer`)
      : t([`deadlines:notice.${d.kind}_footer`, 'deadlines:notice.other_footer']);
  const text = [heading, ...deadlineLines(t, locale, d, unit, now), '', footer].join('\n');
  return { text, buttons: reportButtons(t, d, unit.id) };
}

export interface ReportInfo {
  at: DateTime;
  by: string | null;
  note: string | null;
}

/** "09:15 30/12/2026" */
export function stamp(at: DateTime): string {
  return `${formatTime(at)} ${formatDate(at)}`;
}

/** The confirmation the unit's other secretaries get once someone has reported. */
export function reportedMessage(locale: string, d: DeadlineView, unit: UnitRef, r: ReportInfo): OutgoingMessage {
  const t = translate(locale);
  const lines = [
    t('deadlines:reported.title'),
    `<b>${escapeHtml(d.title)}</b>`,
    t('deadlines:reported.line', { unit: unitText(unit), at: stamp(r.at), who: r.by ?? '—' }),
  ];
  if (r.note) lines.push(t('deadlines:reported.note', { note: noteHtml(r.note) }));
  lines.push('', t('deadlines:reported.footer'));
  return { text: lines.join('\n') };
}

export function undoneMessage(locale: string, d: DeadlineView, unit: UnitRef, who: string): OutgoingMessage {
  const t = translate(locale);
  return { text: t('deadlines:undone.others', { who, unit: unitText(unit), title: d.title }) };
}

/** A note is free text, or a single link shown as one. */
export function noteHtml(note: string): string {
  return /^https?:\/\/\S+$/.test(note) ? linkHtml(note) : escapeHtml(note);
}

export interface LateItem {
  deadline: DeadlineView;
  unit: UnitRef;
  secretaries: { fullName: string; phone: string; role: string }[];
}

const MAX_UNITS_PER_DEADLINE = 25;

/** The morning list of late units for a supervisor or a creator. */
export function digestMessage(locale: string, items: LateItem[], now: DateTime): OutgoingMessage {
  const t = translate(locale);
  const byDeadline = new Map<number, LateItem[]>();
  for (const it of items) byDeadline.set(it.deadline.id, [...(byDeadline.get(it.deadline.id) ?? []), it]);
  const lines = [t('deadlines:digest.title', { date: formatDate(now) }), t('deadlines:digest.intro'), ''];
  for (const list of byDeadline.values()) {
    const d = list[0]!.deadline;
    lines.push(
      t('deadlines:digest.deadline', {
        title: d.title,
        due: dueText(t, locale, d.dueAt),
        left: leftText(t, now, d.dueAt),
        count: list.length,
      }),
    );
    for (const it of list.slice(0, MAX_UNITS_PER_DEADLINE)) {
      const who = it.secretaries
        .map((s) => t('deadlines:digest.person', { role: t(`core:roles.${s.role}`), name: s.fullName, phone: displayPhone(s.phone) }))
        .join('; ');
      lines.push(`• ${unitText(it.unit)}${who ? ` — ${who}` : ` — ${t('deadlines:digest.no_secretary')}`}`);
    }
    if (list.length > MAX_UNITS_PER_DEADLINE) lines.push(t('deadlines:more', { count: list.length - MAX_UNITS_PER_DEADLINE }));
    lines.push('');
  }
  lines.push(t('deadlines:digest.footer'));
  return { text: clip(lines.join('\n')) };
}

/** A long list as one message, within the widest channel's limit as written: cut at a line, ending in "…". */
export function clip(text: string, max = 4000): string {
  return clipHtml(text, max, { measure: 'source' });
}
