import { definePolicy } from '../policy.js';
import { BROADCAST_ROLES } from '../../domain/broadcasts/scope.js';
import { GROUP_LINK_ROLES } from '../../domain/broadcasts/groups.js';

/** Who may do what with thông báo nhanh (quick notices). */
export const broadcastsPolicy = definePolicy('broadcasts', {
  compose: {
    who: BROADCAST_ROLES,
    scope: 'subtree',
    doc: 'Soạn thông báo (/thongbao và các bước của nó): tuyên giáo, admin; chọn đơn vị nhận trong cây đơn vị nơi giữ vai trò đó.',
  },
  attachDocument: {
    who: BROADCAST_ROLES,
    scope: 'reach',
    doc: 'Gửi kèm tài liệu thư viện (bc:doc): chỉ tài liệu người soạn xem được, như /tailieu (tài liệu cho mọi người, hoặc cho một đơn vị trên hay dưới nơi họ giữ vai trò); kiểm tra khi bắt đầu và khi gửi.',
  },
  send: {
    who: BROADCAST_ROLES,
    scope: 'subtree',
    doc: 'Gửi (bc:send, CLI broadcast): mọi đơn vị nhận nằm trong cây đơn vị của người gửi và tài liệu kèm theo họ xem được, kiểm tra lại lúc bấm «Gửi».',
  },
  stats: {
    who: BROADCAST_ROLES,
    scope: 'subtree',
    doc: 'Xem tình hình (/thongke, bc:st): thông báo mình gửi, hoặc thông báo mà mọi đơn vị nhận nằm trong cây đơn vị của người xem; số liệu và danh sách chưa xác nhận chỉ gồm các đơn vị đó.',
  },
  acknowledge: {
    who: 'linked',
    scope: 'own',
    doc: 'Bấm «Đã nhận» (bc:rcv, cả trong nhóm): người có tên trong danh sách nhận thông báo đó; ghi nhận cho chính người bấm.',
  },
  preview: {
    who: 'linked',
    scope: 'none',
    doc: 'Nút của bản xem trước (bc:pv): chỉ giải thích, không thay đổi gì.',
  },
  linkGroup: {
    who: GROUP_LINK_ROLES,
    scope: 'subtree',
    doc: 'Gắn nhóm với đơn vị (/ganhom, gõ trong nhóm): bí thư, phó bí thư, admin của đơn vị hoặc cấp trên; nếu nhóm đang gắn với đơn vị khác thì cũng phải có quyền đó với đơn vị ấy.',
  },
});

export type BroadcastsAction = keyof typeof broadcastsPolicy.rules;
export const rule = (action: BroadcastsAction) => broadcastsPolicy.rules[action];
