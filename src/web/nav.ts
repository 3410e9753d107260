import type { PersonActor } from '../application/actor.js';
import { mayTryRule } from '../application/policy.js';
import { webPolicy } from '../application/web/policy.js';

/** A link of the navigation: its key under web:nav and where it goes. */
export interface NavLink {
  key: string;
  href: string;
}

/**
 * The pages of web2's part of the dashboard a person may open (only the first gate of each page's rule:
 * the page itself still asks its use cases).
 */
export function moreNavLinks(actor: PersonActor | null | undefined): NavLink[] {
  if (!actor) return [];
  const links: NavLink[] = [
    { key: 'schedule', href: '/web/schedule' },
    { key: 'docs', href: '/web/docs' },
  ];
  if (mayTryRule(webPolicy.rules.org, actor.person)) links.push({ key: 'org', href: '/web/org' });
  if (mayTryRule(webPolicy.rules.audit, actor.person)) links.push({ key: 'audit', href: '/web/audit' });
  return links;
}
