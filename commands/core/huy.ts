import type { Feature } from '../types.js';

export const huyFeature: Feature = {
  commands: [
    {
      name: 'huy',
      access: 'linked',
      policy: 'core.cancel',
      menu: { ns: 'core' },
      async run(ctx) {
        const had = ctx.flow !== null;
        await ctx.clearFlow();
        await ctx.reply.send({ text: ctx.t(had ? 'core:huy.done' : 'core:huy.nothing') });
      },
    },
  ],
};
