import type { Command } from 'commander';
import type { DateTime } from 'luxon';
import { formatDateTime, parseDate, parseTime } from '../../core/format.js';
import { operator } from '../../application/actor.js';
import { exportCampaign, listCampaigns } from '../../application/checkin/export.js';
import { openCheckin } from '../../application/checkin/open.js';
import { summaryFor } from '../../application/checkin/summary.js';
import type { Refusal } from '../../application/result.js';
import { exportTables, writeCsv, writeXlsx } from '../../domain/checkin/export.js';
import { campaignTitle } from '../../domain/checkin/messages.js';
import { DEFAULT_QUESTIONNAIRE, loadQuestionnaireFile, type Questionnaire } from '../../domain/checkin/questionnaire.js';
import type { CliContext } from '../context.js';
import { CliFailure } from '../failure.js';
import { parseRoles } from './delivery.js';
import { help } from '../help.js';

/** "05/01/2027" or "05/01/2027 17:00"; a date alone means `dateOnly` of that day. */
function parseMoment(input: string, zone: string, dateOnly: 'start' | 'end'): DateTime | null {
  const [date = '', time, ...rest] = input.trim().split(/\s+/);
  const day = rest.length ? null : parseDate(date, zone);
  if (!day) return null;
  if (!time) return dateOnly === 'end' ? day.endOf('day') : day;
  const t = parseTime(time);
  return t ? day.set({ hour: t.hour, minute: t.minute }) : null;
}

function readQuestionnaire(c: CliContext, file: string): Questionnaire {
  let res;
  try {
    res = loadQuestionnaireFile(file);
  } catch (err) {
    throw new CliFailure(c.t('checkin:cli.no_file', { file, reason: (err as Error).message }));
  }
  if (res.ok) return res.questionnaire;
  const lines = [c.t('checkin:cli.bad_questionnaire', { file })];
  for (const i of res.issues) lines.push(`  • ${i.path ? `${i.path}: ` : ''}${c.t(`checkin:questionnaire.${i.key}`, i.params)}`);
  throw new CliFailure(lines.join('\n'));
}

/** A refusal of a use case as the command's one error line. */
function failure(c: CliContext, r: Refusal): never {
  throw new CliFailure(c.t(r.key, r.params));
}

function campaignId(c: CliContext, raw: string): number {
  const id = /^#?\d{1,12}$/.test(raw) ? Number(raw.replace(/^#/, '')) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new CliFailure(c.t('checkin:cli.not_found', { id: raw }));
  return id;
}

export function registerCheckin(program: Command, cli: () => Promise<CliContext>): void {
  const ci = program.command('checkin').description(help('checkin.description'));

  ci.command('open')
    .description(help('checkin.open.description'))
    .requiredOption('--period <period>', help('checkin.open.period'))
    .requiredOption('--units <codes>', help('checkin.open.units'))
    .option('--subtree', help('checkin.open.subtree'))
    .option('--questionnaire <file>', help('checkin.open.questionnaire'))
    .requiredOption('--closes <date>', help('checkin.open.closes'))
    .option('--opens <date>', help('checkin.open.opens'))
    .option('--roles <roles>', help('checkin.open.roles'))
    .action(
      async (o: {
        period: string;
        units: string;
        subtree?: boolean;
        questionnaire?: string;
        closes: string;
        opens?: string;
        roles?: string;
      }) => {
        const c = await cli();
        const zone = c.svc.clock.zone;
        const questionnaire = readQuestionnaire(c, o.questionnaire ?? DEFAULT_QUESTIONNAIRE);
        const closesAt = parseMoment(o.closes, zone, 'end');
        if (!closesAt) throw new CliFailure(c.t('checkin:cli.bad_closes', { value: o.closes }));
        const opensAt = o.opens === undefined ? undefined : parseMoment(o.opens, zone, 'start');
        if (opensAt === null) throw new CliFailure(c.t('checkin:cli.bad_opens', { value: o.opens }));
        const roles = parseRoles(c, o.roles);
        const period = o.period.trim().toUpperCase();
        const opened = await openCheckin(c.svc, operator, {
          period,
          unitCodes: o.units.split(','),
          subtree: !!o.subtree,
          questionnaire,
          ...(roles ? { responderRoles: roles } : {}),
          ...(opensAt ? { opensAt } : {}),
          closesAt,
        });
        if (!opened.ok) failure(c, opened.refusal);
        const res = opened.value;
        // The id alone on the first line, for scripts (as `deadline add` does).
        c.out(String(res.id));
        c.out(
          c.t('checkin:cli.opened', {
            id: res.id,
            title: campaignTitle({ period, questionnaire }, 'vi'),
            count: res.units,
            due: formatDateTime(closesAt),
          }),
        );
        c.out(
          opensAt && opensAt > c.svc.clock.now()
            ? c.t('checkin:cli.scheduled', { when: formatDateTime(opensAt) })
            : c.t('checkin:cli.prompted', { count: res.prompted }),
        );
      },
    );

  ci.command('status <campaign>')
    .description(help('checkin.status.description'))
    .option('--json', help('checkin.status.json'))
    .action(async (raw: string, o: { json?: boolean }) => {
      const c = await cli();
      const id = campaignId(c, raw);
      const res = await summaryFor(c.svc, operator, { campaignId: id });
      if (!res.ok) throw new CliFailure(c.t('checkin:cli.not_found', { id }));
      const s = res.value.summary;
      if (o.json)
        return c.out(JSON.stringify({ id, period: s.campaign.period, units: s.units, reported: s.reported, missing: s.missing }, null, 2));
      c.out(
        c.t('checkin:cli.status', {
          id,
          title: campaignTitle(s.campaign, 'vi'),
          due: formatDateTime(s.campaign.closesAt),
          reported: s.reported,
          units: s.units,
        }),
      );
      if (s.missing.length) {
        c.out(c.t('checkin:cli.missing', { count: s.missing.length }));
        for (const m of s.missing) c.out(`  ${m.code}  ${m.name}`);
      }
    });

  ci.command('export <campaign>')
    .description(help('checkin.export.description'))
    .option('--xlsx <file>')
    .option('--csv <file>')
    .action(async (raw: string, o: { xlsx?: string; csv?: string }) => {
      const c = await cli();
      if (!o.xlsx && !o.csv) throw new CliFailure(c.t('checkin:cli.export_target'));
      const id = campaignId(c, raw);
      const res = await exportCampaign(c.svc, operator, { campaignId: id });
      if (!res.ok) failure(c, res.refusal);
      const s = res.value;
      const tables = exportTables(s);
      if (o.xlsx) {
        await writeXlsx(o.xlsx, tables);
        c.out(c.t('checkin:cli.exported', { rows: s.rows.length, file: o.xlsx }));
      }
      if (o.csv) {
        writeCsv(o.csv, tables);
        c.out(c.t('checkin:cli.exported', { rows: s.rows.length, file: o.csv }));
      }
    });

  ci.command('list')
    .description(help('checkin.list.description'))
    .action(async () => {
      const c = await cli();
      const res = await listCampaigns(c.svc, operator);
      if (!res.ok) failure(c, res.refusal);
      if (res.value.length === 0) return c.out(c.t('checkin:cli.list_empty'));
      for (const { questionnaire, summary: s } of res.value) {
        c.out(
          c.t('checkin:cli.list_row', {
            id: s.campaign.id,
            period: s.campaign.period,
            questionnaire,
            opens: formatDateTime(s.campaign.opensAt),
            due: formatDateTime(s.campaign.closesAt),
            reported: s.reported,
            units: s.units,
          }),
        );
      }
    });

  ci.command('validate <file>')
    .description(help('checkin.validate.description'))
    .action(async (file: string) => {
      const c = await cli();
      const q = readQuestionnaire(c, file);
      c.out(c.t('checkin:cli.valid_questionnaire', { id: q.id, version: q.version, count: q.questions.length }));
    });
}
