import { broadcastsPolicy } from '../../src/application/broadcasts/policy.js';
import { broadcastButtons } from '../../src/domain/broadcasts/buttons.js';
import { BROADCAST_ROLES } from '../../src/domain/broadcasts/scope.js';
import { buttonRoutes } from '../buttons.js';
import type { Feature, LinkedContext } from '../types.js';
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
import { registerBroadcasts } from '../../src/cli/commands/broadcasts.js';
import { broadcastReminderJob } from '../../src/scheduling/jobs/broadcasts.js';

const P = (action: keyof typeof broadcastsPolicy.rules) => `${broadcastsPolicy.feature}.${action}`;

/** The author's buttons work in their private chat only; in a group they do nothing. */
function authorOnly<D>(policy: string, run: (ctx: LinkedContext, data: D) => Promise<void>) {
  return {
    access: BROADCAST_ROLES,
    policy,
    run: async (ctx: LinkedContext, data: D) => (ctx.chat.isGroup ? ctx.reply.notify() : run(ctx, data)),
  };
}

/** bc:rcv is pressed by recipients (also in groups); everything else belongs to the author. */
const buttons = buttonRoutes(
  broadcastButtons,
  { access: 'linked', inGroups: true },
  {
    rcv: { access: 'linked', policy: P('acknowledge'), run: (ctx, d) => receive(ctx, d.id, d.reminder === 'r') },
    pv: {
      access: 'linked',
      policy: P('preview'),
      run: (ctx) => (ctx.chat.isGroup ? ctx.reply.notify() : ctx.reply.notify(ctx.t('broadcasts:compose.preview_button'))),
    },
    doc: authorOnly(P('attachDocument'), (ctx, d: { id: number }) => startWithDocument(ctx, d.id)),
    notext: authorOnly(P('compose'), (ctx) => skipText(ctx)),
    aud: authorOnly(P('compose'), (ctx, d: { how: 'all' | 'pick' }) => chooseAudience(ctx, d.how)),
    sub: authorOnly(P('compose'), (ctx, d: { subtree: boolean }) => chooseSubtree(ctx, d.subtree)),
    r: authorOnly(P('compose'), (ctx, d: { role: Parameters<typeof chooseRole>[1] }) => chooseRole(ctx, d.role)),
    ask: authorOnly(P('compose'), (ctx, d: { ack: boolean; hours: number | undefined }) => chooseAck(ctx, d.ack, d.hours)),
    send: authorOnly(P('send'), (ctx) => send(ctx)),
    cancel: authorOnly(P('compose'), (ctx) => cancel(ctx)),
    st: authorOnly(P('stats'), (ctx, d: { id: number; refresh: 'r' | undefined }) => showStatus(ctx, d.id, d.refresh === 'r')),
  },
);

export const broadcastsFeature: Feature = {
  id: 'broadcasts',
  jobs: [broadcastReminderJob],
  cli: [registerBroadcasts],
  commands: [
    { name: 'thongbao', access: BROADCAST_ROLES, policy: P('compose'), menu: { ns: 'broadcasts' }, run: startCompose },
    { name: 'thongke', access: BROADCAST_ROLES, policy: P('stats'), menu: { ns: 'broadcasts' }, run: thongke },
    { name: 'ganhom', access: GROUP_LINK_ROLES, policy: P('linkGroup'), menu: { ns: 'broadcasts' }, inGroups: true, run: ganhom },
  ],
  buttons: [buttons],
  flows: [{ name: COMPOSE_FLOW, access: BROADCAST_ROLES, policy: P('compose'), what: 'broadcasts:flow.what', onText: onComposeText }],
};
