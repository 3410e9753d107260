import type { Refusal } from '../../src/application/result.js';
import { plainT } from '../../src/i18n.js';
import type { CommandContext } from '../types.js';

/** A refusal's message; for a message (HTML) `t` escapes its values, a popup is plain text. */
export function refusalText(ctx: CommandContext, r: Refusal, html = true): string {
  return (html ? ctx.t : plainT(ctx.locale))(r.key, r.params ?? {});
}

/** Shows a refusal as a popup (a button was pressed) or a message. */
export async function showRefusal(ctx: CommandContext, r: Refusal): Promise<void> {
  if (ctx.msg.kind === 'button') await ctx.reply.notify(refusalText(ctx, r, false));
  else await ctx.reply.send({ text: refusalText(ctx, r) });
}
