import type { Refusal } from '../../src/application/result.js';
import type { CommandContext } from '../types.js';

/** A use case's refusal as one message (`t` escapes its parameters). */
export function refusalText(ctx: CommandContext, r: Refusal): string {
  return ctx.t(r.key, r.params ?? {});
}

const POPUPS = new Set(['schedule:edit.forbidden', 'schedule:edit.not_found', 'core:error.forbidden_short']);

/** A refusal to a button press: a popup when the item is gone or not the person's to touch, else the message says why. */
export async function refuseButton(ctx: CommandContext, r: Refusal, how: 'edit' | 'send' = 'edit'): Promise<void> {
  if (POPUPS.has(r.key)) return ctx.reply.notify(refusalText(ctx, r));
  await ctx.reply.notify();
  if (how === 'edit') await ctx.reply.edit({ text: refusalText(ctx, r) });
  else await ctx.reply.send({ text: refusalText(ctx, r) });
}
