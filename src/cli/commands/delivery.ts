import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { Role } from '../../db/generated/enums.js';
import { audit } from '../../domain/audit.js';
import { peopleInAudience } from '../../domain/audience/recipients.js';
import { escapeHtml } from '../../core/html.js';
import { enqueue, outboxStats } from '../../delivery/outbox.js';
import { reachChats } from '../../domain/reach.js';
import type { CliContext } from '../context.js';
import { CliFailure } from '../failure.js';
import { help } from '../help.js';

export function parseRoles(c: CliContext, list: string | undefined): Role[] | undefined {
  if (!list) return undefined;
  const roles = list
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = roles.filter((r) => !(Object.values(Role) as string[]).includes(r));
  if (bad.length) throw new CliFailure(c.t('cli:bad_roles', { roles: bad.join(', '), valid: Object.values(Role).join(', ') }));
  return roles as Role[];
}

export function registerDelivery(program: Command, cli: () => Promise<CliContext>): void {
  program
    .command('notify')
    .description(help('notify.description'))
    .requiredOption('--unit <code>')
    .option('--subtree', help('notify.subtree'))
    .option('--roles <roles>', help('notify.roles'))
    .requiredOption('--text <text>')
    .option('--urgent', help('notify.urgent'))
    .action(async (o: { unit: string; subtree?: boolean; roles?: string; text: string; urgent?: boolean }) => {
      const c = await cli();
      const text = o.text.trim();
      if (!text) throw new CliFailure(c.t('cli:notify.empty'));
      if (text.length > 4000) throw new CliFailure(c.t('cli:notify.too_long', { max: 4000 }));
      const unit = await c.svc.db.unit.findUnique({ where: { code: o.unit } });
      if (!unit) throw new CliFailure(c.t('cli:unknown_unit', { code: o.unit }));
      const roles = parseRoles(c, o.roles);
      const people = await peopleInAudience(c.svc.db, { unitIds: [unit.id], subtree: !!o.subtree, ...(roles ? { roles } : {}) });
      const run = randomUUID();
      const queued = await c.svc.db.$transaction(
        async (tx) => {
          const chats = await reachChats(tx, people);
          const n = await enqueue(
            tx,
            chats.map((ch) => ({
              chatIdentityId: ch.id,
              dedupeKey: `notify:${run}:chat:${ch.id}`,
              payload: { text: escapeHtml(text) },
              urgent: !!o.urgent,
            })),
          );
          await audit(tx, {
            actor: 'cli',
            action: 'notify',
            target: `unit:${unit.code}`,
            details: { subtree: !!o.subtree, roles: roles ?? [], queued: n },
          });
          return n;
        },
        { timeout: 60_000 },
      );
      c.out(c.t('cli:notify.queued', { count: queued, people: people.length }));
    });

  program
    .command('outbox')
    .description(help('outbox.description'))
    .action(async () => {
      const c = await cli();
      const s = await outboxStats(c.svc.db);
      c.out(
        Object.entries(s.byStatus)
          .map(([k, v]) => `${k}: ${v}`)
          .join('  '),
      );
      c.out(
        s.oldestPending
          ? c.t('cli:outbox.oldest', {
              id: s.oldestPending.id,
              at: s.oldestPending.createdAt.toISOString(),
              key: s.oldestPending.dedupeKey,
            })
          : c.t('cli:outbox.no_pending'),
      );
      if (s.lastErrors.length) {
        c.out(c.t('cli:outbox.last_errors'));
        for (const e of s.lastErrors) c.out(`  #${e.id} [${e.status}] ${e.lastError}`);
      }
    });
}
