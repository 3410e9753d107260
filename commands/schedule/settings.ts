import { changeSetting, getSettings, type Setting } from '../../src/application/schedule/settings.js';
import type { OutgoingMessage } from '../../src/core/messages.js';
import type { Prefs } from '../../src/domain/schedule/prefs.js';
import type { LinkedContext } from '../types.js';
import { sch } from './buttons.js';
import { refusalText } from './common.js';

function view(ctx: LinkedContext, p: Prefs): OutgoingMessage {
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
      [
        {
          text: t(p.digestOff ? 'schedule:caidat.turn_digest_on' : 'schedule:caidat.turn_digest_off'),
          data: sch.pack('set', { what: 'digest', on: p.digestOff }),
        },
      ],
      [
        {
          text: t(p.remindHourBefore ? 'schedule:caidat.turn_hour_off' : 'schedule:caidat.turn_hour_on'),
          data: sch.pack('set', { what: 'hour', on: !p.remindHourBefore }),
        },
      ],
    ],
  };
}

/** /caidat: weekly digest on/off (notices of one's own items still come), reminder an hour before. */
export async function caidat(ctx: LinkedContext): Promise<void> {
  const res = await getSettings(ctx.svc, ctx.actor);
  await ctx.reply.send(res.ok ? view(ctx, res.value) : { text: refusalText(ctx, res.refusal) });
}

/** sch:set:digest:<1 = receive|0 = off>, sch:set:hour:<1|0> — the value is absolute, so a double press is harmless. */
export async function settingButton(ctx: LinkedContext, { what, on }: { what: Setting; on: boolean }): Promise<void> {
  const res = await changeSetting(ctx.svc, ctx.actor, what, on);
  if (!res.ok) return ctx.reply.notify(refusalText(ctx, res.refusal));
  await ctx.reply.notify(ctx.t('schedule:caidat.saved'));
  await ctx.reply.edit(view(ctx, res.value));
}
