import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { operator } from '../../application/actor.js';
import type { Refusal } from '../../application/result.js';
import { MAX_TEXT, sendBroadcast } from '../../application/broadcasts/send.js';
import { broadcastDetails } from '../../application/broadcasts/stats.js';
import { formatDateTime } from '../../core/format.js';
import { broadcastTitle } from '../../domain/broadcasts/compose.js';
import { REMIND_HOURS } from '../../domain/broadcasts/buttons.js';
import { numberKey } from '../../domain/docs/fields.js';
import type { CliContext } from '../context.js';
import { CliFailure } from '../failure.js';
import { parseRoles } from './delivery.js';
import { help } from '../help.js';

/** A use case's refusal as the command line's error (the chat's text, without its tags). */
function failure(c: CliContext, r: Refusal): CliFailure {
  return new CliFailure(c.t(r.key, r.params).replace(/<[^>]+>/g, ''));
}

interface BroadcastOptions {
  to: string;
  subtree?: boolean;
  roles?: string;
  textFile?: string;
  ack?: boolean;
  remindAfter?: string;
  doc?: string;
}

/** A document by id (12) or by number (3080-CV/BTGTU). */
async function findDocument(c: CliContext, ref: string): Promise<number> {
  const db = c.svc.db;
  const doc = /^\d+$/.test(ref)
    ? await db.document.findUnique({ where: { id: Number(ref) }, select: { id: true } })
    : await db.document.findUnique({ where: { numberKey: numberKey(ref)! }, select: { id: true } });
  if (!doc) throw new CliFailure(c.t('broadcasts:cli.unknown_doc', { ref }));
  return doc.id;
}

async function readText(c: CliContext, file: string | undefined): Promise<string> {
  if (!file) return '';
  try {
    const text = (file === '-' ? await readStdin() : await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trim();
    if (text.length > MAX_TEXT) throw new CliFailure(c.t('broadcasts:cli.too_long', { max: MAX_TEXT }));
    return text;
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    throw new CliFailure(c.t('cli:import.bad_file', { file, reason: (err as Error).message }));
  }
}

export function registerBroadcasts(program: Command, cli: () => Promise<CliContext>): void {
  const broadcast = program
    .command('broadcast')
    .description(help('broadcast.description'))
    .option('--to <codes>', help('broadcast.to'))
    .option('--subtree', help('broadcast.subtree'))
    .option('--roles <roles>', help('broadcast.roles'))
    .option('--text-file <file>', help('broadcast.textFile'))
    .option('--ack', help('broadcast.ack'))
    .option('--remind-after <hours>', help('broadcast.remindAfter'))
    .option('--doc <id>', help('broadcast.doc'))
    .action(async (o: BroadcastOptions) => {
      const c = await cli();
      if (!o.to) throw new CliFailure(c.t('broadcasts:cli.usage'));
      const codes = o.to.split(/[\s,;]+/).filter(Boolean);
      const units = await c.svc.db.unit.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
      const unknown = codes.filter((code) => !units.some((u) => u.code === code));
      if (unknown.length || codes.length === 0) throw new CliFailure(c.t('cli:unknown_unit', { code: unknown.join(', ') || o.to }));
      const roles = parseRoles(c, o.roles) ?? [];
      const documentId = o.doc ? await findDocument(c, o.doc) : null;
      const text = await readText(c, o.textFile);
      if (!text && documentId === null) throw new CliFailure(c.t('broadcasts:cli.empty'));
      let remindAfterHours: number | null = null;
      if (o.remindAfter !== undefined) {
        remindAfterHours = Number(o.remindAfter);
        if (!o.ack || !Number.isInteger(remindAfterHours) || remindAfterHours < REMIND_HOURS.min || remindAfterHours > REMIND_HOURS.max) {
          throw new CliFailure(c.t('broadcasts:cli.bad_remind'));
        }
      }
      const sent = await sendBroadcast(c.svc, operator, {
        requestKey: randomUUID(),
        text,
        docId: documentId,
        unitIds: units.map((u) => u.id),
        subtree: !!o.subtree,
        roles,
        ack: !!o.ack,
        remindHours: remindAfterHours,
      });
      if (!sent.ok) throw failure(c, sent.refusal);
      const res = sent.value;
      // stdout carries the id alone, for scripts; the summary is for the person at the terminal.
      c.out(String(res.id));
      process.stderr.write(
        `${c.t('broadcasts:cli.queued', { id: res.id, people: res.people - res.unlinked, groups: res.groups, messages: res.messages, unlinked: res.unlinked })}\n`,
      );
    });

  broadcast
    .command('status <id>')
    .description(help('broadcast.status.description'))
    .option('--json', help('broadcast.status.json'))
    .action(async (idArg: string, o: { json?: boolean }) => {
      const c = await cli();
      const id = Number(idArg.replace(/^#/, ''));
      const found = Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? await broadcastDetails(c.svc, operator, id) : null;
      if (!found?.ok) throw new CliFailure(c.t('broadcasts:cli.unknown', { id: idArg }));
      const { broadcast: b, status: s, pending } = found.value;
      if (o.json) {
        c.out(
          JSON.stringify({ recipients: s.recipients, sent: s.sent, failed: s.failed, blocked: s.blocked, acknowledged: s.acknowledged }),
        );
        return;
      }
      const when = formatDateTime(DateTime.fromJSDate(b.createdAt, { zone: c.svc.clock.zone }));
      c.out(c.t('broadcasts:cli.status_title', { id, when, title: broadcastTitle(b.text, b.document?.title ?? null) }));
      c.out(c.t('broadcasts:cli.status_counts', { ...s, reached: s.people - s.unlinked }));
      if (!b.ackRequested) return c.out(c.t('broadcasts:cli.status_no_ack'));
      c.out(c.t('broadcasts:cli.status_ack', { acknowledged: s.acknowledged, people: s.people }));
      for (const u of pending) {
        const names = u.people.map((p) => p.name + (p.state === 'ok' ? '' : ` (${c.t(`broadcasts:stats.state_${p.state}`)})`));
        c.out(`  ${u.code ?? '-'} ${u.name ?? ''}: ${names.join(', ')}`);
      }
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
