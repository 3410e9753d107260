import { defineButtons, field } from '../../src/core/buttonCodec.js';
import type { Refusal } from '../../src/application/result.js';
import { shorten } from '../../src/core/shorten.js';
import type { CommandContext } from '../types.js';

/** Pages of a list run to 9999 (five documents each). */
const PAGE = field.int(0, 9999);

/**
 * The library's buttons, in the wire format older messages carry:
 * doc:p:<page>:<query> · doc:v:<id> · doc:s|u:<id> · doc:sp:<page> · doc:c:<category> · doc:ok · doc:no
 */
export const docButtons = defineButtons('doc', {
  p: { page: PAGE, query: field.rest(64) },
  v: { id: field.id },
  s: { id: field.id },
  u: { id: field.id },
  sp: { page: PAGE },
  c: { category: field.id },
  ok: {},
  no: {},
});

/**
 * "📢 Gửi thông báo" under a document starts a broadcast with it; the broadcasts feature owns the
 * `bc` prefix, its codec and the check of the press.
 */
export { documentButtonData as broadcastDocData } from '../../src/domain/broadcasts/buttons.js';

/** A value a person typed, short enough to quote back in a message (`t` escapes it). */
export function quote(s: string, max = 200): string {
  return shorten(s, max);
}

/** A use case's refusal as one message: every value cut to length, blanks filled with their wording. */
export function refusalText(ctx: CommandContext, r: Refusal): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r.params ?? {})) params[k] = typeof v === 'string' ? quote(v, 300) : v;
  if (r.key === 'docs:new.not_yours') {
    if (!params.audience) params.audience = ctx.t('docs:detail.everyone');
    params.contacts = params.contacts ? ctx.t('docs:new.contact_people', { names: params.contacts }) : ctx.t('docs:new.contact_office');
  }
  return ctx.t(r.key, params);
}
