/** The dashboard's own use cases: signing in and out; the pages call the features' use cases. */
export { webPolicy, rule } from './policy.js';
export { requestSignIn, checkSignIn, signIn, sessionActor, signOut, WEB_VIA, type WebSession } from './signin.js';
export { outboxHealth, mayViewOutbox, type OutboxHealth } from './outbox.js';
export { auditLog, AUDIT_PAGE, type AuditFilter, type AuditPage, type AuditRow } from './audit.js';
export { orgTree, type OrgPerson, type OrgUnit, type OrgView } from './org.js';
