import { escapeHtml } from '../../src/core/html.js';
import type { Refusal } from '../../src/application/result.js';
import type { CommandContext } from '../types.js';

/** A refusal's message; for a message (HTML) its values are escaped, a popup is plain text. */
export function refusalText(ctx: CommandContext, r: Refusal, html = true): string {
  const params = Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, html && typeof v === 'string' ? escapeHtml(v) : v]));
  return ctx.t(r.key, params);
}

/** Shows a refusal as a popup (a button was pressed) or a message. */
export async function showRefusal(ctx: CommandContext, r: Refusal): Promise<void> {
  if (ctx.msg.kind === 'button') await ctx.reply.notify(refusalText(ctx, r, false));
  else await ctx.reply.send({ text: refusalText(ctx, r) });
}
