import type { Command } from 'commander';
import { operator } from '../../application/actor.js';
import { removePerson, unlinkPerson } from '../../application/people/access.js';
import { displayPhone } from '../../domain/phone.js';
import type { CliContext } from '../context.js';
import { help } from '../help.js';
import { unwrap } from './org.js';

/** `person remove` and `person unlink`: taking access away (the use cases decide and audit). */
export function registerPeople(program: Command, cli: () => Promise<CliContext>): void {
  const person = program.command('person').description(help('person.description'));
  person
    .command('remove')
    .description(help('person.remove.description'))
    .requiredOption('--phone <phone>')
    .action(async (o: { phone: string }) => {
      const c = await cli();
      const r = unwrap(c, await removePerson(c.svc, operator, { phone: o.phone }));
      const vars = { name: r.fullName, phone: displayPhone(r.phone) };
      const nothing = !r.roles.length && !r.chats.length && !r.cancelled && !r.invitesRevoked && !r.calendarRevoked;
      if (r.already && nothing) return c.out(c.t('cli:person.already_removed', vars));
      c.out(
        c.t('cli:person.removed', {
          ...vars,
          roles: r.roles.length,
          chats: r.chats.length,
          cancelled: r.cancelled,
          invites: r.invitesRevoked,
        }),
      );
      if (r.calendarRevoked) c.out(c.t('cli:person.calendar_revoked'));
    });
  person
    .command('unlink')
    .description(help('person.unlink.description'))
    .requiredOption('--phone <phone>')
    .option('--channel <channel>', help('person.unlink.channel'))
    .action(async (o: { phone: string; channel?: string }) => {
      const c = await cli();
      const r = unwrap(c, await unlinkPerson(c.svc, operator, { phone: o.phone, ...(o.channel ? { channel: o.channel } : {}) }));
      c.out(
        c.t('cli:person.unlinked', {
          count: r.chats.length,
          name: r.fullName,
          phone: displayPhone(r.phone),
          chats: r.chats.join(', '),
          cancelled: r.cancelled,
        }),
      );
    });
}
