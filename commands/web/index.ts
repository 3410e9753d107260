import { requestSignIn, rule } from '../../src/application/web/index.js';
import { webBaseUrl } from '../../src/web/address.js';
import { webRoutes } from '../../src/web/routes.js';
import type { Feature } from '../types.js';

/** The dashboard ("Bảng điều hành"): `/web` sends a personal sign-in link; the pages live in src/web/. */
export const webFeature: Feature = {
  id: 'web',
  routes: [webRoutes],
  commands: [
    {
      name: 'web',
      access: 'linked',
      policy: rule('signIn'),
      menu: { ns: 'web' },
      async run(ctx) {
        const res = await requestSignIn(ctx.svc, ctx.actor);
        if (!res.ok) return void (await ctx.reply.send({ text: ctx.t(res.refusal.key, res.refusal.params ?? {}) }));
        const link = `${webBaseUrl(ctx.svc)}/web/login/${res.value.token}`;
        await ctx.reply.send({ text: ctx.t('web:chat.link', { link, minutes: res.value.minutes }), noPreview: true });
      },
    },
  ],
};
