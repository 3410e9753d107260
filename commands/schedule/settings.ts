import type { OutgoingMessage } from '../../src/core/messages.js';
import { getPrefs, setPrefs, type Prefs } from '../../src/domain/schedule/prefs.js';
import type { CommandContext } from '../types.js';

function view(ctx: CommandContext, p: Prefs): OutgoingMessage {
  const { t } = ctx;
  return {
    text: [
      t('schedule:caidat.title'),
      '',
      t(p.digestOff ? 'schedule:caidat.digest_off' : 'schedule:caidat.digest_on'),
      t(p.remindHourBefore ? 'schedule:caidat.hour_on' : 'schedule:caidat.hour_off'),
      '',
      t('schedule:caidat.eve', { time: ctx.svc.config.SCHEDULE_REMIND_AT }),
    ].join('\n'),
    buttons: [
      [{ text: t(p.digestOff ? 'schedule:caidat.turn_digest_on' : 'schedule:caidat.turn_digest_off'), data: `sch:set:digest:${p.digestOff ? 1 : 0}` }],
      [{ text: t(p.remindHourBefore ? 'schedule:caidat.turn_hour_off' : 'schedule:caidat.turn_hour_on'), data: `sch:set:hour:${p.remindHourBefore ? 0 : 1}` }],
    ],
  };
}

/** /caidat: weekly digest on/off (notices of one's own items still come), reminder an hour before. */
export async function caidat(ctx: CommandContext): Promise<void> {
  await ctx.reply.send(view(ctx, await getPrefs(ctx.svc.db, ctx.person!.id)));
}

/** sch:set:digest:<1 = receive|0 = off>, sch:set:hour:<1|0> — the value is absolute, so a double press is harmless. */
export async function settingButton(ctx: CommandContext, [what, value]: string[]): Promise<void> {
  const personId = ctx.person!.id;
  if (what === 'digest') await setPrefs(ctx.svc.db, personId, { digestOff: value !== '1' });
  else if (what === 'hour') await setPrefs(ctx.svc.db, personId, { remindHourBefore: value === '1' });
  await ctx.reply.notify(ctx.t('schedule:caidat.saved'));
  await ctx.reply.edit(view(ctx, await getPrefs(ctx.svc.db, personId)));
}
