import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { z } from 'zod';

// yaml is loaded the first time a questionnaire is read, not with the module.
const require = createRequire(import.meta.url);
const parseYaml = (source: string): unknown => (require('yaml') as typeof import('yaml')).parse(source);

export const QUESTION_TYPES = ['integer', 'percent', 'yesno', 'choice', 'short_text', 'long_text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const text = z.object({ vi: z.string().trim().min(1).max(600), en: z.string().trim().min(1).max(600) }).strict();
// Ids end up in callback data (`ci:a:<report>:<question>:<value>`, ≤ 64 bytes), hence the short limit.
const questionId = z.string().regex(/^[a-z][a-z0-9_]{0,23}$/);

const common = {
  id: questionId,
  text,
  /** Short name for summaries and export columns; the text when absent. */
  label: text.optional(),
  help: text.optional(),
  required: z.boolean().default(true),
};

const question = z.discriminatedUnion('type', [
  z
    .object({ ...common, type: z.literal('integer'), min: z.number().int().min(0).default(0), max: z.number().int().max(1_000_000) })
    .strict(),
  z.object({ ...common, type: z.literal('percent') }).strict(),
  z.object({ ...common, type: z.literal('yesno') }).strict(),
  z
    .object({
      ...common,
      type: z.literal('choice'),
      options: z
        .array(z.object({ id: z.string().regex(/^[a-z0-9_]{1,12}$/), text }).strict())
        .min(2)
        .max(10),
    })
    .strict(),
  z.object({ ...common, type: z.literal('short_text'), maxLength: z.number().int().min(1).max(500).default(200) }).strict(),
  z.object({ ...common, type: z.literal('long_text'), maxLength: z.number().int().min(1).max(3000).default(2000) }).strict(),
]);

export const questionnaireSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/),
    version: z.number().int().min(1),
    title: text,
    questions: z.array(question).min(1).max(30),
  })
  .strict()
  .superRefine((qn, ctx) => {
    const seen = new Set<string>();
    qn.questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'duplicate_id', params: { id: q.id } });
      seen.add(q.id);
      if (q.type === 'integer' && q.min > q.max) ctx.addIssue({ code: 'custom', path: ['questions', i, 'max'], message: 'min_above_max' });
      if (q.type === 'choice' && new Set(q.options.map((o) => o.id)).size !== q.options.length) {
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: 'duplicate_option' });
      }
    });
  });

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Question = Questionnaire['questions'][number];
export type LocalText = z.infer<typeof text>;

export const DEFAULT_QUESTIONNAIRE = join(dirname(fileURLToPath(import.meta.url)), 'questionnaires', 'quarterly-v1.yaml');

/** One problem of a questionnaire file: where (`questions[3].max`) and a message key with values. */
export interface QuestionnaireIssue {
  path: string;
  key: string;
  params: Record<string, string | number>;
}

export type LoadResult = { ok: true; questionnaire: Questionnaire } | { ok: false; issues: QuestionnaireIssue[] };

/** Parses a questionnaire from YAML or JSON text (JSON is YAML too, so one parser reads both). */
export function parseQuestionnaire(source: string): LoadResult {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (err) {
    return { ok: false, issues: [{ path: '', key: 'syntax', params: { reason: (err as Error).message.split('\n')[0] ?? '' } }] };
  }
  const res = questionnaireSchema.safeParse(raw);
  if (res.success) return { ok: true, questionnaire: res.data };
  return { ok: false, issues: res.error.issues.map(describeIssue) };
}

export function loadQuestionnaireFile(file: string): LoadResult {
  const source = readFileSync(file, 'utf8');
  if (!['.yaml', '.yml', '.json'].includes(extname(file).toLowerCase())) {
    return { ok: false, issues: [{ path: '', key: 'extension', params: { file } }] };
  }
  return parseQuestionnaire(source);
}

export function loadDefaultQuestionnaire(): Questionnaire {
  const res = loadQuestionnaireFile(DEFAULT_QUESTIONNAIRE);
  if (!res.ok) throw new Error(`default questionnaire is invalid: ${JSON.stringify(res.issues)}`);
  return res.questionnaire;
}

function describeIssue(issue: z.core.$ZodIssue): QuestionnaireIssue {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  const i = issue as unknown as Record<string, unknown>;
  switch (issue.code) {
    case 'custom':
      return { path, key: issue.message, params: (issue.params ?? {}) as Record<string, string> };
    case 'invalid_type':
      return { path, key: i.input === undefined ? 'missing' : 'type', params: { expected: String(i.expected) } };
    case 'too_small':
    case 'too_big':
      return {
        path,
        key: `${issue.code}_${i.origin === 'string' ? 'string' : i.origin === 'array' ? 'array' : 'number'}`,
        params: { limit: Number(i.minimum ?? i.maximum) },
      };
    case 'invalid_format':
      return { path, key: 'format', params: {} };
    case 'unrecognized_keys':
      return { path, key: 'unknown_keys', params: { keys: (i.keys as string[]).join(', ') } };
    case 'invalid_union':
      return { path: path || 'type', key: 'question_type', params: { types: QUESTION_TYPES.join(', ') } };
    case 'invalid_value':
      return { path, key: 'value', params: { values: (i.values as unknown[]).map(String).join(', ') } };
    default:
      return { path, key: 'other', params: { message: issue.message } };
  }
}

export function localText(t: LocalText, locale: string): string {
  return locale === 'en' ? t.en : t.vi;
}

export function questionLabel(q: Question, locale: string): string {
  return localText(q.label ?? q.text, locale);
}
