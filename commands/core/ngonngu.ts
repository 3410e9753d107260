import { t as translate } from '../../src/i18n.js';
import { defineButtons } from '../../src/core/buttonCodec.js';
import { buttonRoutes } from '../buttons.js';
import type { CommandContext, Feature, LinkedContext } from '../types.js';

async function choose(ctx: CommandContext): Promise<void> {
  await ctx.reply.send({
    text: ctx.t('core:ngonngu.choose'),
    buttons: [
      [
        { text: 'Tiếng Việt', data: lang.pack('vi', {}) },
        { text: 'English', data: lang.pack('en', {}) },
      ],
    ],
  });
}

const lang = defineButtons('lang', { vi: {}, en: {} });

async function set(ctx: LinkedContext, locale: 'vi' | 'en'): Promise<void> {
  await ctx.svc.db.person.update({ where: { id: ctx.person.id }, data: { locale } });
  const t = translate(locale);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: t('core:ngonngu.done') });
}

export const ngonnguFeature: Feature = {
  commands: [{ name: 'ngonngu', access: 'linked', policy: 'core.language', menu: { ns: 'core' }, run: choose }],
  buttons: [
    buttonRoutes(
      lang,
      { access: 'linked' },
      {
        vi: { policy: 'core.language', run: (ctx) => set(ctx, 'vi') },
        en: { policy: 'core.language', run: (ctx) => set(ctx, 'en') },
      },
    ),
  ],
};
