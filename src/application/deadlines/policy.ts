import { definePolicy, LEADERSHIP_ROLES } from '../policy.js';
import { SECRETARY_ROLES } from '../../domain/deadlines/recipients.js';

/**
 * Who may do what with report deadlines. Two actions have a second way in, written as its own row
 * (a rule has one `who` and one `scope`): `report` or `reportOffice`, `close` or `closeAdmin`.
 * The command line acts as the operator and may do everything.
 */
export const deadlinesPolicy = definePolicy('deadlines', {
  list: {
    who: 'linked',
    scope: 'direct',
    doc: '/hanchot: the open deadlines of the units where the person holds any role directly; «Đã nộp» buttons only where deadlines.report allows',
  },
  report: {
    who: SECRETARY_ROLES,
    scope: 'direct',
    doc: '«Đã nộp» (dl:done, /danop): the bí thư or phó bí thư of the unit itself; /danop lists only these units',
  },
  reportOffice: {
    who: ['admin', 'van_phong'],
    scope: 'subtree',
    doc: 'dl:done is also allowed to admin or van_phong at or above the unit (recording a report sent on paper)',
  },
  done: {
    who: SECRETARY_ROLES,
    scope: 'direct',
    or: [{ who: ['admin', 'van_phong'], scope: 'subtree' }],
    doc: '«Đã nộp» pressed (dl:done): deadlines.report or deadlines.reportOffice',
  },
  undo: {
    who: 'linked',
    scope: 'own',
    doc: '«Hoàn tác» (dl:undo): only the person who recorded the report, on the same day',
  },
  note: {
    who: 'linked',
    scope: 'own',
    doc: 'the text typed right after «Đã nộp» becomes the note: only the reporter, within 30 minutes',
  },
  create: {
    who: ['admin', 'van_phong'],
    scope: 'subtree',
    doc: '/hanmoi (and its buttons dl:nu, dl:nskip, dl:nok, dl:nno): admin or van_phong, for units at or below where the role is held; checked again at «Tạo và gửi»',
  },
  progress: {
    who: LEADERSHIP_ROLES,
    scope: 'subtree',
    doc: '/tiendo: every unit of the deadlines the person created; of other deadlines, the target units at or below where a leadership role (admin, bí thư, phó bí thư, cấp ủy viên, phụ trách, văn phòng) is held — the same units /tonghop counts',
  },
  overdue: {
    who: ['bi_thu', 'pho_bi_thu', 'cap_uy_vien', 'phu_trach', 'van_phong'],
    scope: 'subtree',
    doc: "the morning list of late units (a push, no command): the leadership roles but admin, at or above the late unit; the late unit's own bí thư and phó bí thư get the overdue notice instead; the deadline's creator too",
  },
  board: {
    who: LEADERSHIP_ROLES,
    scope: 'subtree',
    or: [{ who: 'linked', scope: 'direct' }],
    doc: 'the dashboard (Tổng quan, Hạn báo cáo, exports): what /tiendo follows and /hanchot lists together — target units at or below where a leadership role is held, and the units where the person holds any role; only those units (the creator: every unit)',
  },
  remind: {
    who: ['admin', 'phu_trach', 'van_phong'],
    scope: 'subtree',
    doc: '«Nhắc lại ngay» on the dashboard: the late units at or below where admin, phu_trach or van_phong is held (the creator: every late unit); through the outbox, once per unit and day',
  },
  info: {
    who: 'linked',
    scope: 'subtree',
    doc: '«Chi tiết» (dl:info): the creator sees every unit; anyone else sees the deadline when a target unit is at or below one of their roles, and only those units (rows and counts)',
  },
  close: {
    who: 'linked',
    scope: 'own',
    doc: 'closing a deadline: its creator, or as deadlines.closeAdmin allows',
  },
  closeAdmin: {
    who: ['admin'],
    scope: 'subtree',
    doc: 'closing a deadline: an admin at or above every one of its units',
  },
});

export type DeadlinesAction = keyof typeof deadlinesPolicy.rules;

/** `deadlines.<action>`, for the `policy` of commands, buttons and flows. */
export function rule(action: DeadlinesAction): `deadlines.${DeadlinesAction}` {
  return `deadlines.${action}`;
}
