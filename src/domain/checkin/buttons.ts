import { defineButtons, field, type Field } from '../../core/buttonCodec.js';
import { formatQuarter } from '../../core/format.js';

/** A check-in period, "2026-Q4". */
const period: Field<string> = {
  parse: (s) => (s !== undefined && /^\d{4}-Q[1-4]$/.test(s) && formatQuarter(s) ? s : undefined),
  format: (v) => v,
};

/** What an answer button carries: `y`/`n` for yes/no, the option's position (0…9) for a choice. */
export const ANSWER_TOKENS = ['y', 'n', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

const report = field.id;
// Question ids are ≤ 24 characters (questionnaire.ts); an id the questionnaire lacks is refused later.
const question = field.word(24);

/**
 * The check-in buttons (`ci:<action>:…`), in the wire format older messages in people's chats
 * already carry. A press that does not unpack (a NaN, an id beyond the database's range, a token
 * that is no answer) gets the "stale button" popup and reaches no handler.
 */
export const checkinButtons = defineButtons('ci', {
  /** Start or open the report of a unit in a campaign (the prompt, the /baocao choice). */
  go: { campaign: field.id, unit: field.id },
  /** Continue answering. */
  c: { report },
  /** The summary. */
  sum: { report },
  /** An answer to the question the chat is at. */
  a: { report, question, value: field.oneOf(...ANSWER_TOKENS) },
  /** Skip an optional question. */
  sk: { report, question },
  /** Keep the current answer. */
  k: { report, question },
  /** One question back. */
  bk: { report, question },
  /** "Edit": the question picker. */
  ed: { report },
  /** Change one picked question. */
  q: { report, question },
  /** Send the working copy the person saw (`rev`). */
  send: { report, rev: field.int(0, 2_147_483_647) },
  /** The admin's /mobaocao steps: period, unit, OK, cancel. */
  op: { step: field.oneOf('p', 'u', 'ok', 'x'), period: field.optional(period), unit: field.optional(field.id) },
  /** /tonghop of another campaign. */
  th: { campaign: field.id },
});

export type CheckinButtons = typeof checkinButtons;
