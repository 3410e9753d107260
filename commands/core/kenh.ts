import { chooseChannel, myChannels } from '../../src/application/core/channel.js';
import { field, defineButtons } from '../../src/core/buttonCodec.js';
import { CHANNELS, type Keyboard } from '../../src/core/messages.js';
import type { PersonChats } from '../../src/domain/reach.js';
import { buttonRoutes } from '../buttons.js';
import type { CommandContext, Feature, LinkedContext } from '../types.js';

/** `kenh:set:<channel>` pushes go to that channel; `kenh:auto` back to the chat used last. */
const kenh = defineButtons('kenh', { set: { channel: field.oneOf(...CHANNELS) }, auto: {} });

/** A channel's name as people know it (core:channels), the stored name for one without a label. */
function channelName(ctx: CommandContext, channel: string): string {
  return ctx.t(`core:channels.${channel}`, { defaultValue: channel });
}

/** What /kenh shows: the linked channels, where pushes go now and why, and the choices. */
function view(ctx: CommandContext, v: PersonChats): { text: string; buttons?: Keyboard } {
  const { t } = ctx;
  if (!v.reach) return { text: `${t('core:kenh.title')}\n${t('core:kenh.none')}` };
  // In the registry's order, so the list and the buttons do not move as chats are linked.
  const order = (c: string) => ((CHANNELS as readonly string[]).indexOf(c) + CHANNELS.length + 1) % (CHANNELS.length + 1);
  const channels = [...new Set(v.chats.map((c) => c.channel))].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const lines = [
    t('core:kenh.title'),
    t('core:kenh.linked', { channels: channels.map((c) => channelName(ctx, c)).join(', ') }),
    t(`core:kenh.current_${v.reach.reason}`, { channel: channelName(ctx, v.reach.channel) }),
  ];
  if (channels.length < 2) return { text: [...lines, t('core:kenh.only_one')].join('\n') };
  const buttons: Keyboard = channels.map((c) => [
    {
      text: t(v.preferredChannel === c ? 'core:kenh.button_current' : 'core:kenh.button', { channel: channelName(ctx, c) }),
      data: kenh.pack('set', { channel: c as (typeof CHANNELS)[number] }),
    },
  ]);
  buttons.push([{ text: t(v.preferredChannel === null ? 'core:kenh.auto_current' : 'core:kenh.auto'), data: kenh.pack('auto', {}) }]);
  return { text: [...lines, t('core:kenh.choose')].join('\n'), buttons };
}

async function show(ctx: LinkedContext): Promise<void> {
  const res = await myChannels(ctx.svc, ctx.actor);
  if (!res.ok) return void (await ctx.reply.send({ text: ctx.t(res.refusal.key, res.refusal.params ?? {}) }));
  await ctx.reply.send(view(ctx, res.value));
}

async function choose(ctx: LinkedContext, channel: (typeof CHANNELS)[number] | null): Promise<void> {
  const res = await chooseChannel(ctx.svc, ctx.actor, channel);
  if (!res.ok) {
    await ctx.reply.notify();
    return void (await ctx.reply.send({ text: ctx.t(res.refusal.key, res.refusal.params ?? {}) }));
  }
  const now = res.value.reach;
  const done = !now
    ? ctx.t('core:kenh.none')
    : channel === null
      ? ctx.t('core:kenh.done_auto', { channel: channelName(ctx, now.channel) })
      : ctx.t('core:kenh.done', { channel: channelName(ctx, now.channel) });
  await ctx.reply.notify();
  await ctx.reply.edit({ text: done });
}

export const kenhFeature: Feature = {
  commands: [{ name: 'kenh', access: 'linked', policy: 'core.channel', menu: { ns: 'core' }, run: show }],
  buttons: [
    buttonRoutes(
      kenh,
      { access: 'linked' },
      {
        set: { policy: 'core.channel', run: (ctx, d) => choose(ctx, d.channel) },
        auto: { policy: 'core.channel', run: (ctx) => choose(ctx, null) },
      },
    ),
  ],
};
