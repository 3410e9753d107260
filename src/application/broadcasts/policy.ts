import { definePolicy } from '../policy.js';
import { BROADCAST_ROLES } from '../../domain/broadcasts/scope.js';
import { GROUP_LINK_ROLES } from '../../domain/broadcasts/groups.js';

/** Who may do what with thông báo nhanh (quick notices). */
export const broadcastsPolicy = definePolicy('broadcasts', {
  compose: {
    who: BROADCAST_ROLES,
    scope: 'subtree',
    doc: 'Compose a quick notice (/thongbao and its steps): tuyen_giao, admin; the audience is chosen within the units where they hold the role and below.',
  },
  attachDocument: {
    who: BROADCAST_ROLES,
    scope: 'reach',
    doc: 'Attach a library document (bc:doc): only a document the author can see, as in /tailieu (for everyone, or for a unit above or below where they hold a role); checked when starting and again at sending.',
  },
  send: {
    who: BROADCAST_ROLES,
    scope: 'subtree',
    doc: 'Send (bc:send, CLI broadcast): every audience unit within the sender’s subtree and the attached document visible to them, checked again when «Gửi» is pressed.',
  },
  stats: {
    who: BROADCAST_ROLES,
    scope: 'subtree',
    doc: 'Delivery and acknowledgements (/thongke, bc:st): one’s own notices, or notices whose every audience unit is within the viewer’s subtree; counts and the not-acknowledged list cover only those units.',
  },
  acknowledge: {
    who: 'linked',
    scope: 'own',
    doc: '«Đã nhận» (bc:rcv, also in groups): a recipient of that notice, recorded for the person who pressed it.',
  },
  preview: {
    who: 'linked',
    scope: 'none',
    doc: 'The inert button of a preview (bc:pv): explains, changes nothing.',
  },
  linkGroup: {
    who: GROUP_LINK_ROLES,
    scope: 'subtree',
    doc: 'Link a group to a unit (/ganhom, typed in the group): bi_thu, pho_bi_thu, admin of the unit or above; if the group is linked to another unit, the same right over that unit too.',
  },
});

export type BroadcastsAction = keyof typeof broadcastsPolicy.rules;
export const rule = (action: BroadcastsAction) => broadcastsPolicy.rules[action];
