import { definePolicy } from '../policy.js';

/**
 * The dashboard ("Bảng điều hành") itself: signing in and what only the dashboard shows. Every page
 * otherwise calls the features' own use cases, so it shows and changes what their tables allow.
 */
export const webPolicy = definePolicy('web', {
  signIn: {
    who: 'linked',
    scope: 'own',
    doc: '/web: a linked person gets a personal sign-in link (single use, 10 minutes) for their own dashboard',
  },
  outbox: {
    who: ['admin', 'van_phong'],
    scope: 'none',
    doc: "the dashboard's outbox health (backlog and failures, counts only): admin or van_phong anywhere",
  },
  audit: {
    who: ['admin', 'van_phong', 'bi_thu', 'pho_bi_thu'],
    scope: 'subtree',
    doc: "Nhật ký (the audit log): what people holding a role in one's units did, for the secretaries, the office and admins there; whoever covers every top unit also sees the command line, jobs and people without a role",
  },
  org: {
    who: ['admin', 'van_phong', 'bi_thu', 'pho_bi_thu', 'cap_uy_vien', 'phu_trach'],
    scope: 'subtree',
    doc: "Tổ chức: the units one's roles reach, with the people holding a role there, their roles and whether they linked a chat (no phone numbers)",
  },
});

export type WebAction = keyof typeof webPolicy.rules;

/** `web.<action>`, for the `policy` of commands. */
export function rule(action: WebAction): `web.${WebAction}` {
  return `web.${action}`;
}
