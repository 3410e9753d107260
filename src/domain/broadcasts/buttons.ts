import { defineButtons, field } from '../../core/buttonCodec.js';
import type { Role } from '../../db/generated/enums.js';

/** Roles offered as filters, in the order a propaganda department thinks of them. */
export const AUDIENCE_ROLES = [
  'bi_thu',
  'pho_bi_thu',
  'cap_uy_vien',
  'phu_trach',
  'bao_cao_vien',
  'tuyen_giao',
  'van_phong',
  'dang_vien',
] as const satisfies readonly Role[];

/** Reminder hours a button may carry (the CLI's --remind-after allows the same). */
export const REMIND_HOURS = { min: 1, max: 24 * 14 } as const;

/**
 * The `bc` buttons. The wire format is that of the buttons already in people's chats:
 * bc:rcv:<id>[:r] (pressed by recipients, also in groups; `r` on the reminder) · doc:<id> · notext ·
 * aud:all|pick · sub:0|1 · r:<role>|all|ok · ask:0|1[:hours] · send · cancel · st:<id>[:r] · pv
 * (the inert button of a preview).
 */
export const broadcastButtons = defineButtons('bc', {
  rcv: { id: field.id, reminder: field.optional(field.oneOf('r')) },
  doc: { id: field.id },
  notext: {},
  aud: { how: field.oneOf('all', 'pick') },
  sub: { subtree: field.flag },
  r: { role: field.oneOf(...AUDIENCE_ROLES, 'all', 'ok') },
  ask: { ack: field.flag, hours: field.optional(field.int(REMIND_HOURS.min, REMIND_HOURS.max)) },
  send: {},
  cancel: {},
  st: { id: field.id, refresh: field.optional(field.oneOf('r')) },
  pv: {},
});

/** "📢 Gửi thông báo" under a library document. */
export function documentButtonData(documentId: number): string {
  return broadcastButtons.pack('doc', { id: documentId });
}
