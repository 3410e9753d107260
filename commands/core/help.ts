import type { CommandDef, Feature } from '../types.js';

/** /help lists what this person may use; the router is passed in to avoid an import cycle. */
export function helpFeature(menu: () => (person: Parameters<CommandDef['run']>[0]['person']) => CommandDef[]): Feature {
  const run: CommandDef['run'] = async (ctx) => {
    if (!ctx.person) return void (await ctx.reply.send({ text: ctx.t('core:not_linked') }));
    const lines = [ctx.t('core:help.title')];
    for (const c of menu()(ctx.person)) lines.push(`/${c.name} — ${ctx.t(`${c.menu!.ns}:commands.${c.name}`)}`);
    lines.push('', ctx.t('core:help.footer'));
    await ctx.reply.send({ text: lines.join('\n') });
  };
  return {
    commands: [
      { name: 'help', access: 'anyone', menu: { ns: 'core' }, run },
      { name: 'trogiup', access: 'anyone', run },
    ],
  };
}
