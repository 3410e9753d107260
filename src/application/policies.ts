import { broadcastsPolicy } from './broadcasts/policy.js';
import { checkinPolicy } from './checkin/policy.js';
import { corePolicy } from './core/policy.js';
import { deadlinesPolicy } from './deadlines/policy.js';
import { docsPolicy } from './docs/policy.js';
import { peoplePolicy } from './people/policy.js';
import { schedulePolicy } from './schedule/policy.js';
import { webPolicy } from './web/policy.js';
import type { Policy, Rule } from './policy.js';

/** Every feature's policy table: what `/help`, the README's roles table and the matrix test read. */
export const policies: Policy[] = [
  corePolicy,
  peoplePolicy,
  deadlinesPolicy,
  checkinPolicy,
  schedulePolicy,
  docsPolicy,
  broadcastsPolicy,
  webPolicy,
];

/** The rule named `<feature>.<action>`, or undefined. */
export function ruleOf(name: string): Rule | undefined {
  const [feature, action] = name.split('.', 2);
  const p = policies.find((x) => x.feature === feature);
  return p && action && Object.hasOwn(p.rules, action) ? p.rules[action] : undefined;
}
