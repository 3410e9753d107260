import { foldVietnamese } from '../../core/format.js';
import { localText, type Question } from './questionnaire.js';
import { shorten } from '../../core/shorten.js';

/** number (integer, percent), boolean (yes/no), option id (choice), text; null = skipped. */
export type AnswerValue = number | boolean | string | null;
export type Answers = Record<string, AnswerValue>;

/** A refused answer: a message key of the `checkin:invalid` namespace and its values. */
export interface AnswerError {
  key: string;
  params: Record<string, string | number>;
}

export type Parsed = { ok: true; value: AnswerValue } | { ok: false; error: AnswerError };

const YES = new Set(['co', 'c', 'yes', 'y', 'dung', 'phai', 'u', 'ok']);
const NO = new Set(['khong', 'k', 'ko', 'no', 'n', 'chua', 'sai']);

const fail = (key: string, params: Record<string, string | number> = {}): Parsed => ({ ok: false, error: { key, params } });

/** What was typed, shortened for quoting back in an error message. */
function echo(s: string): string {
  return shorten(s.replace(/\s+/g, ' '), 31);
}

/** Validates a typed answer to `q`. */
export function parseTextAnswer(q: Question, input: string): Parsed {
  const raw = input.trim();
  switch (q.type) {
    case 'integer': {
      const s = raw.replace(/\s+/g, '');
      if (!/^[+-]?\d{1,9}$/.test(s)) {
        return fail(/^[+-]?\d+[.,]\d+$/.test(s) ? 'integer_fraction' : 'integer_nan', { value: echo(raw), min: q.min, max: q.max });
      }
      const n = Number(s);
      if (n < q.min || n > q.max) return fail('integer_range', { value: n, min: q.min, max: q.max });
      return { ok: true, value: n };
    }
    case 'percent': {
      const m = /^([+-]?\d{1,9}(?:[.,]\d+)?)\s*%?$/.exec(raw);
      if (!m) return fail('percent_nan', { value: echo(raw) });
      const n = Number(m[1]!.replace(',', '.'));
      if (n < 0 || n > 100) return fail('percent_range', { value: m[1]! });
      return { ok: true, value: Math.round(n * 10) / 10 };
    }
    case 'yesno': {
      const f = foldVietnamese(raw).replace(/[.!\s]+$/g, '');
      if (YES.has(f)) return { ok: true, value: true };
      if (NO.has(f)) return { ok: true, value: false };
      return fail('yesno');
    }
    case 'choice': {
      const f = foldVietnamese(raw);
      const byNumber = /^\d{1,2}$/.test(f) ? q.options[Number(f) - 1] : undefined;
      const found = byNumber ?? q.options.find((o) => foldVietnamese(o.text.vi) === f || foldVietnamese(o.text.en) === f);
      return found ? { ok: true, value: found.id } : fail('choice', { count: q.options.length });
    }
    case 'short_text':
    case 'long_text': {
      // Control characters other than line breaks have no place in a report.
      const clean = raw.replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, '').replace(/\n{3,}/g, '\n\n');
      const length = [...clean].length;
      if (length > q.maxLength) return fail('text_long', { length, max: q.maxLength });
      if (!/[\p{L}\p{N}]/u.test(clean)) return fail('text_empty');
      if (q.type === 'short_text' && clean.includes('\n')) return { ok: true, value: clean.replace(/\s*\n\s*/g, ' ') };
      return { ok: true, value: clean };
    }
  }
}

/** Validates a pressed answer button: `y`/`n` for yes/no, the option number for a choice. */
export function parseButtonAnswer(q: Question, token: string): Parsed {
  if (q.type === 'yesno' && (token === 'y' || token === 'n')) return { ok: true, value: token === 'y' };
  if (q.type === 'choice') {
    const o = q.options[Number(token)];
    if (/^\d{1,2}$/.test(token) && o) return { ok: true, value: o.id };
  }
  return fail('button');
}

/** A stored answer as a person reads it (plain text: the caller escapes it). */
export function formatAnswer(q: Question, value: AnswerValue | undefined, locale: string): string | null {
  if (value === undefined || value === null) return null;
  switch (q.type) {
    case 'integer':
      return String(value);
    case 'percent':
      return `${formatNumber(Number(value), locale)}%`;
    case 'yesno':
      return value ? (locale === 'en' ? 'Yes' : 'Có') : locale === 'en' ? 'No' : 'Không';
    case 'choice': {
      const o = q.options.find((x) => x.id === value);
      return o ? localText(o.text, locale) : String(value);
    }
    default:
      return String(value);
  }
}

/** 92.5 → "92,5" in Vietnamese, one decimal at most. */
export function formatNumber(n: number, locale = 'vi'): string {
  const s = String(Math.round(n * 10) / 10);
  return locale === 'en' ? s : s.replace('.', ',');
}

export function isAnswered(answers: Answers, q: Question): boolean {
  return Object.prototype.hasOwnProperty.call(answers, q.id) && (answers[q.id] !== null || !q.required);
}

export function missingRequired(answers: Answers, questions: Question[]): Question[] {
  return questions.filter((q) => q.required && (answers[q.id] === undefined || answers[q.id] === null));
}
