import { policies } from './policies.js';
import type { Grant, Who } from './policy.js';

const SCOPE: Record<Grant['scope'], string> = {
  subtree: 'units where the role is held, and below',
  direct: 'only the units where the role is held',
  reach: 'units where a role is held, below and above',
  own: "the person's own",
  none: '—',
};

function who(w: Who): string {
  if (w === 'anyone') return 'anyone';
  if (w === 'linked') return 'any linked person';
  return w.length ? w.map((r) => `\`${r}\``).join(', ') : 'the operator (command line) only';
}

/** The README's roles table, written from the policy tables so that the two cannot disagree. */
export function rolesTable(): string {
  const rows = ['| rule | who | scope | what it allows |', '|---|---|---|---|'];
  for (const p of policies) {
    for (const [action, r] of Object.entries(p.rules)) {
      const grants = [r as Grant, ...(r.or ?? [])];
      rows.push(
        `| \`${p.feature}.${action}\` | ${grants.map((g) => who(g.who)).join('; or ')} | ${grants.map((g) => SCOPE[g.scope]).join('; or ')} | ${r.doc.replace(/\|/g, '\\|')} |`,
      );
    }
  }
  return rows.join('\n');
}
