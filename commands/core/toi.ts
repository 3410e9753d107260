import { escapeHtml } from '../../src/core/html.js';
import { displayPhone } from '../../src/domain/phone.js';
import type { PersonView } from '../../src/domain/people.js';
import type { CommandContext, Feature } from '../types.js';

export function describePerson(ctx: CommandContext, person: PersonView): string {
  const { t } = ctx;
  const byUnit = new Map<string, { name: string; roles: string[] }>();
  for (const r of person.roles) {
    const entry = byUnit.get(r.unitCode) ?? { name: r.unitName, roles: [] };
    entry.roles.push(t(`core:roles.${r.role}`));
    byUnit.set(r.unitCode, entry);
  }
  const lines = [t('core:toi.name', { name: person.fullName }), t('core:toi.phone', { phone: displayPhone(person.phone) })];
  if (person.position) lines.push(t('core:toi.position', { position: person.position }));
  lines.push(t('core:toi.units'));
  for (const [code, u] of byUnit) lines.push(`• ${escapeHtml(u.name)} (<code>${escapeHtml(code)}</code>): ${u.roles.join(', ')}`);
  if (byUnit.size === 0) lines.push(t('core:toi.no_units'));
  return lines.join('\n');
}

export const toiFeature: Feature = {
  commands: [
    {
      name: 'toi',
      access: 'linked',
      menu: { ns: 'core' },
      policy: 'people.me',
      async run(ctx) {
        await ctx.reply.send({ text: describePerson(ctx, ctx.person) });
      },
    },
  ],
};
