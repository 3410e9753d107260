import { BROADCAST_ROLES } from '../../src/domain/broadcasts/scope.js';
import { holdsAny } from '../../src/domain/people.js';
import type { CommandContext, Feature } from '../types.js';
import { receive } from './ack.js';
import {
  cancel,
  chooseAck,
  chooseAudience,
  chooseRole,
  chooseSubtree,
  COMPOSE_FLOW,
  onComposeText,
  send,
  skipText,
  startCompose,
  startWithDocument,
} from './compose.js';
import { ganhom, GROUP_LINK_ROLES } from './groups.js';
import { showStatus, thongke } from './stats.js';

/**
 * bc:rcv:<id>[:r] is pressed by recipients (also in groups); everything else belongs to the
 * author: bc:doc:<id> · notext · aud:all|pick · sub:0|1 · r:<role>|all|ok · ask:0|1[:hours] ·
 * send · cancel · st:<id>[:r] · pv (the inert button of a preview).
 */
async function onButton(ctx: CommandContext, [action, a, b]: string[]): Promise<void> {
  // Ids must be numbers: anything else is stale or forged.
  if (['rcv', 'doc', 'st'].includes(action ?? '') && !Number.isSafeInteger(Number(a))) return ctx.reply.notify(ctx.t('core:error.stale_button'));
  if (action === 'rcv') return receive(ctx, [a ?? '', b ?? '']);
  if (ctx.chat.isGroup) return ctx.reply.notify();
  if (action === 'pv') return ctx.reply.notify(ctx.t('broadcasts:compose.preview_button'));
  if (!holdsAny(ctx.person!, BROADCAST_ROLES)) return ctx.reply.notify(ctx.t('core:error.forbidden_short'));
  switch (action) {
    case 'doc':
      return startWithDocument(ctx, Number(a));
    case 'notext':
      return skipText(ctx);
    case 'aud':
      return chooseAudience(ctx, a ?? '');
    case 'sub':
      return chooseSubtree(ctx, a === '1');
    case 'r':
      return chooseRole(ctx, a ?? '');
    case 'ask':
      return chooseAck(ctx, a === '1', b ? Number(b) : null);
    case 'send':
      return send(ctx);
    case 'cancel':
      return cancel(ctx);
    case 'st':
      return showStatus(ctx, Number(a), b === 'r');
  }
  await ctx.reply.notify(ctx.t('core:error.stale_button'));
}

export const broadcastsFeature: Feature = {
  commands: [
    { name: 'thongbao', access: BROADCAST_ROLES, menu: { ns: 'broadcasts' }, run: startCompose },
    { name: 'thongke', access: BROADCAST_ROLES, menu: { ns: 'broadcasts' }, run: thongke },
    { name: 'ganhom', access: GROUP_LINK_ROLES, menu: { ns: 'broadcasts' }, inGroups: true, run: ganhom },
  ],
  buttons: [{ prefix: 'bc', access: 'linked', inGroups: true, run: onButton }],
  flows: [{ name: COMPOSE_FLOW, access: BROADCAST_ROLES, onText: onComposeText }],
};
