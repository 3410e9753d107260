import { buttonRoutes } from '../buttons.js';
import type { Feature, LinkedContext } from '../types.js';
import { flowButtons } from './flowButtons.js';

/** "▶️ Tiếp tục": the suspended flow becomes active again and asks its current step. */
async function resumeFlow(ctx: LinkedContext): Promise<void> {
  const def = ctx.activeFlow;
  if (!ctx.flow || !def) return ctx.reply.notify(ctx.t('core:flow.nothing'));
  await ctx.setFlow(ctx.flow.name, ctx.flow.data);
  await ctx.reply.notify();
  if (def.resume) return def.resume(ctx);
  await ctx.reply.send({ text: ctx.t('core:flow.resumed') });
}

export const huyFeature: Feature = {
  commands: [
    {
      name: 'huy',
      access: 'linked',
      policy: 'core.cancel',
      menu: { ns: 'core' },
      keepsFlow: true,
      async run(ctx) {
        const had = ctx.flow !== null;
        const said = ctx.activeFlow?.cancelled;
        await ctx.clearFlow();
        await ctx.reply.send({ text: ctx.t(!had ? 'core:huy.nothing' : (said ?? 'core:huy.done')) });
      },
    },
  ],
  buttons: [buttonRoutes(flowButtons, { access: 'linked' }, { go: { policy: 'core.resume', run: resumeFlow } })],
};
