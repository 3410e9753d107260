import { t as translate } from '../../src/i18n.js';
import type { CommandContext, Feature } from '../types.js';

async function choose(ctx: CommandContext): Promise<void> {
  await ctx.reply.send({
    text: ctx.t('core:ngonngu.choose'),
    buttons: [[{ text: 'Tiếng Việt', data: 'lang:vi' }, { text: 'English', data: 'lang:en' }]],
  });
}

async function set(ctx: CommandContext, [lang]: string[]): Promise<void> {
  const locale = lang === 'en' ? 'en' : 'vi';
  await ctx.svc.db.person.update({ where: { id: ctx.person!.id }, data: { locale } });
  const t = translate(locale);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: t('core:ngonngu.done') });
}

export const ngonnguFeature: Feature = {
  commands: [{ name: 'ngonngu', access: 'linked', menu: { ns: 'core' }, run: choose }],
  buttons: [{ prefix: 'lang', access: 'linked', run: set }],
};
