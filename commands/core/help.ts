import type { PersonView } from '../../src/domain/people.js';
import type { CommandContext, CommandDef, Feature } from '../types.js';

/** /help lists what this person may use; `menu` is the router's (it is built after this feature). */
export function helpFeature(menu: (person: PersonView | null) => CommandDef[]): Feature {
  const run = async (ctx: CommandContext): Promise<void> => {
    if (!ctx.person) return void (await ctx.reply.send({ text: ctx.t('core:not_linked') }));
    const lines = [ctx.t('core:help.title')];
    for (const c of menu(ctx.person)) lines.push(`/${c.name} — ${ctx.t(`${c.menu!.ns}:commands.${c.name}`)}`);
    lines.push('', ctx.t('core:help.footer'));
    await ctx.reply.send({ text: lines.join('\n') });
  };
  return {
    commands: [
      { name: 'help', access: 'anyone', policy: 'core.help', menu: { ns: 'core' }, run },
      { name: 'trogiup', access: 'anyone', policy: 'core.help', run },
    ],
  };
}
