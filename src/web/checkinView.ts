import type { CampaignReport } from '../application/checkin/index.js';
import { formatAnswer, formatNumber } from '../domain/checkin/answers.js';
import { localText, questionLabel, type Question } from '../domain/checkin/questionnaire.js';
import type { QuestionTotal, UnitReport } from '../domain/checkin/summary.js';
import type { TFunction } from '../i18n.js';
import { barChart, lineChart, type Bar } from './charts.js';

/** Past this many units a question's bars are per đảng bộ (sums, averages) instead of per unit. */
const BARS_PER_UNIT = 30;

export interface QuestionView {
  question: Question;
  label: string;
  /** "Tổng: 75", "Trung bình: 92,5%", "Có: 3, không: 1". */
  total: string;
  answered: number;
  /** SVG markup (escaped by charts.ts), or null for text questions. */
  bars: string | null;
  line: string | null;
  /** The written answers of a text question, per unit. */
  texts: { unit: string; text: string }[];
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** "IV/26": short enough for six quarters side by side on a phone. */
function shortQuarter(period: string, locale: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!m) return period;
  return locale === 'en' ? `Q${m[2]}/${m[1]!.slice(2)}` : `${ROMAN[Number(m[2]) - 1]}/${m[1]!.slice(2)}`;
}

function groupsOf(rows: UnitReport[]): { name: string; rows: UnitReport[] }[] {
  const groups = new Map<string, { name: string; rows: UnitReport[] }>();
  for (const r of rows) {
    const key = r.parent?.code ?? '';
    const g = groups.get(key) ?? { name: r.parent?.name ?? '', rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  return [...groups.values()];
}

function numericBars(q: Question, rows: UnitReport[], locale: string): Bar[] {
  const sent = rows.filter((r) => r.answers && r.answers[q.id] !== undefined && r.answers[q.id] !== null);
  const isPct = q.type === 'percent';
  const show = (n: number) => (isPct ? `${formatNumber(n, locale)}%` : formatNumber(n, locale));
  if (sent.length <= BARS_PER_UNIT)
    return sent.map((r) => {
      const v = Number(r.answers![q.id]);
      return { label: r.unit.name, value: v, text: show(v) };
    });
  return groupsOf(sent).map((g) => {
    const nums = g.rows.map((r) => Number(r.answers![q.id]));
    const sum = nums.reduce((s, n) => s + n, 0);
    const v = isPct ? Math.round((sum / nums.length) * 10) / 10 : sum;
    return { label: g.name, value: v, text: show(v) };
  });
}

function totalText(t: TFunction, total: QuestionTotal, locale: string): string {
  const q = total.question;
  if (q.type === 'integer') return t('web:checkin.total_sum', { value: formatNumber(total.sum ?? 0, locale) });
  if (q.type === 'percent')
    return total.avg === undefined ? t('web:checkin.no_answers') : t('web:checkin.total_avg', { value: formatNumber(total.avg, locale) });
  if (q.type === 'yesno') return t('web:checkin.total_yesno', { yes: total.yes ?? 0, no: total.no ?? 0 });
  if (q.type === 'choice')
    return (total.options ?? []).map((o) => `${localText(q.options.find((x) => x.id === o.id)!.text, locale)}: ${o.count}`).join(' · ');
  return t('web:checkin.total_texts', { count: total.answered });
}

/** Per question: the totals line, the bars, the line over earlier quarters (numbers only), the written answers. */
export function questionViews(report: CampaignReport, t: TFunction, locale: string): QuestionView[] {
  const { summary, trend } = report;
  return summary.totals.map((total) => {
    const q = total.question;
    const label = questionLabel(q, locale);
    let bars: string | null = null;
    let line: string | null = null;
    const texts: QuestionView['texts'] = [];
    if (q.type === 'integer' || q.type === 'percent') {
      const data = numericBars(q, summary.rows, locale);
      if (data.length)
        bars = barChart(data, { label: t('web:checkin.bars_label', { question: label }), ...(q.type === 'percent' ? { max: 100 } : {}) });
      if (trend.length > 1) {
        const points = trend.map((p) => {
          const pt = p.totals.find((x) => x.question.id === q.id);
          const v = q.type === 'integer' ? (pt && pt.answered ? (pt.sum ?? null) : null) : (pt?.avg ?? null);
          return {
            label: shortQuarter(p.campaign.period, locale),
            value: v,
            text: v === null ? '' : q.type === 'percent' ? `${formatNumber(v, locale)}%` : formatNumber(v, locale),
          };
        });
        line = lineChart(points, {
          label: t('web:checkin.line_label', {
            question: label,
            values: points.map((p) => `${p.label}: ${p.text || '–'}`).join(', '),
          }),
          ...(q.type === 'percent' ? { max: 100 } : {}),
        });
      }
    } else if (q.type === 'yesno' || q.type === 'choice') {
      const options =
        q.type === 'yesno'
          ? [
              { label: t('web:checkin.yes'), value: total.yes ?? 0 },
              { label: t('web:checkin.no'), value: total.no ?? 0 },
            ]
          : q.options.map((o) => ({ label: localText(o.text, locale), value: total.options?.find((x) => x.id === o.id)?.count ?? 0 }));
      bars = barChart(
        options.map((o) => ({ ...o, text: String(o.value) })),
        { label: t('web:checkin.bars_label', { question: label }), max: Math.max(1, total.answered) },
      );
    } else {
      for (const r of summary.rows) {
        const text = formatAnswer(q, r.answers?.[q.id], locale);
        if (text) texts.push({ unit: r.unit.name, text });
      }
    }
    return { question: q, label, total: totalText(t, total, locale), answered: total.answered, bars, line, texts };
  });
}

/** An answer as the table shows it ('' when there is none). */
export function answerText(q: Question, r: UnitReport, locale: string): string {
  return formatAnswer(q, r.answers?.[q.id], locale) ?? '';
}
