import { definePolicy, LEADERSHIP_ROLES } from '../policy.js';

/**
 * Who may do what with quarterly check-ins (review-security §1.2/§1.3). The command line acts as
 * the operator and may do everything.
 */
export const checkinPolicy = definePolicy('checkin', {
  mine: {
    who: 'linked',
    scope: 'own',
    doc: "The reports one answers (/baocao, and the answering flow's typed answers, each re-checked as checkin.answer): any linked person; someone who answers for no unit is told so politely",
  },
  answer: {
    who: ['bi_thu', 'pho_bi_thu'],
    scope: 'direct',
    doc: "Answer, edit and send a unit's report (/baocao): its responders — bí thư, phó bí thư (or the roles the operator chose for the campaign) — held directly in the report's unit",
  },
  summary: {
    who: LEADERSHIP_ROLES,
    scope: 'subtree',
    doc: 'Response rate, totals and missing units of a campaign (/tonghop): the leadership roles (admin, bí thư, phó bí thư, cấp ủy viên, phụ trách, văn phòng), counting only the units in their subtree — the same units /tiendo counts',
  },
  open: {
    who: ['admin'],
    scope: 'subtree',
    doc: 'Open a campaign (/mobaocao) for a unit in the admin\'s subtree (a đảng bộ: every chi bộ under it answers); re-checked at "OK"',
  },
  export: {
    who: [],
    scope: 'subtree',
    doc: 'Export, list and check the status of every campaign: the command line (operator) only',
  },
});

export type CheckinAction = keyof typeof checkinPolicy.rules;
