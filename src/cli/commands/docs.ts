import type { Command } from 'commander';
import { addCategory, listCategories } from '../../domain/docs/categories.js';
import { issuedOnDate } from '../../domain/docs/fields.js';
import { docContext, DOC_COLUMNS, parseDocFields, type DocFields } from '../../domain/docs/import.js';
import { operator } from '../../application/actor.js';
import { importLibrary, saveDocument, searchLibrary, type UnitRef } from '../../application/docs/index.js';
import { readTable, TableError } from '../../domain/imports/readTable.js';
import type { RowError } from '../../domain/imports/errors.js';
import { audit } from '../../domain/audit.js';
import { formatDate } from '../../core/format.js';
import type { CliContext } from '../context.js';
import { CliFailure } from '../failure.js';
import { help } from '../help.js';

/** "DB-BTG, CB1-BTG", or "tất cả các đơn vị" for a document meant for everyone. */
function unitCodes(c: CliContext, units: UnitRef[]): string {
  return units.length ? units.map((u) => u.code).join(', ') : c.t('docs:cli.everyone');
}

function describe(c: CliContext, e: Omit<RowError, 'line'>): string {
  const column = e.params?.column ? `${e.params.column}: ` : '';
  return column + c.t(`docs:errors.${e.key}`, e.params ?? {});
}

export function registerDocs(program: Command, cli: () => Promise<CliContext>): void {
  const docs = program.command('docs').description(help('docs.description'));

  docs
    .command('import <file>')
    .description(help('docs.import.description', { columns: DOC_COLUMNS.join(',') }))
    .action(async (file: string) => {
      const c = await cli();
      let rows;
      try {
        rows = await readTable(file, DOC_COLUMNS);
      } catch (err) {
        if (err instanceof TableError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new CliFailure(c.t('cli:import.bad_file', { file, reason: (err as Error).message }));
        }
        throw err;
      }
      const res = await importLibrary(c.svc, operator, rows);
      if (!res.ok) {
        const lines = [c.t('cli:import.rejected', { count: new Set(res.errors.map((e) => e.line)).size })];
        for (const e of res.errors) lines.push(`  ${c.t('cli:import.line', { line: e.line })}: ${describe(c, e)}`);
        throw new CliFailure(lines.join('\n'));
      }
      c.out(c.t('docs:cli.imported', { ...res.summary }));
    });

  docs
    .command('add')
    .description(help('docs.add.description'))
    .requiredOption('--title <title>')
    .option('--number <number>', help('docs.add.number'))
    .option('--issuer <issuer>', help('docs.add.issuer'))
    .option('--issued-on <date>', help('docs.add.issuedOn'))
    .option('--category <name>', help('docs.add.category'), 'Khác')
    .option('--url <url...>', help('docs.add.url'))
    .option('--summary <text>')
    .option('--tags <tags>', help('docs.add.tags'))
    .option('--units <codes>', help('docs.add.units'))
    .action(
      async (o: {
        title: string;
        number?: string;
        issuer?: string;
        issuedOn?: string;
        category: string;
        url?: string[];
        summary?: string;
        tags?: string;
        units?: string;
      }) => {
        const c = await cli();
        const fields: DocFields = {
          title: o.title,
          number: o.number ?? '',
          issuer: o.issuer ?? '',
          issued_on: o.issuedOn ?? '',
          category: o.category,
          url: (o.url ?? []).join(' '),
          summary: o.summary ?? '',
          tags: o.tags ?? '',
          units: o.units ?? '',
        };
        const parsed = parseDocFields(fields, await docContext(c.svc.db));
        if (!parsed.ok) throw new CliFailure([c.t('docs:cli.add_rejected'), ...parsed.errors.map((e) => `  ${describe(c, e)}`)].join('\n'));
        // The operator may update any document; the audit row keeps what it was before.
        const res = await saveDocument(c.svc, operator, parsed.doc);
        if (!res.ok) throw new CliFailure(c.t(res.refusal.key, res.refusal.params ?? {}));
        const { id, created, title, audience } = res.value;
        c.out(c.t(created ? 'docs:cli.added' : 'docs:cli.updated', { id, title }));
        if (audience)
          c.out(c.t('docs:cli.audience_changed', { before: unitCodes(c, audience.before), after: unitCodes(c, audience.after) }));
      },
    );

  docs
    .command('search [words...]')
    .description(help('docs.search.description'))
    .option('--limit <n>', help('docs.search.limit'), '20')
    .action(async (words: string[], o: { limit: string }) => {
      const c = await cli();
      const found = await searchLibrary(c.svc, operator, { text: words.join(' '), page: 0, pageSize: Math.max(1, Number(o.limit) || 20) });
      if (!found.ok) throw new CliFailure(c.t(found.refusal.key, found.refusal.params ?? {}));
      const res = found.value;
      if (res.total === 0) return c.out(c.t('docs:cli.none'));
      for (const d of res.docs) {
        c.out([`#${d.id}`, d.number ?? '-', d.issuedOn ? formatDate(issuedOnDate(d.issuedOn)) : '-', d.category, d.title].join('  '));
      }
      c.out(c.t('docs:cli.found', { shown: res.docs.length, total: res.total }));
    });

  const categories = docs
    .command('categories')
    .description(help('docs.categories.description'))
    .action(async () => {
      const c = await cli();
      for (const cat of await listCategories(c.svc.db)) c.out(cat.name);
    });
  categories
    .command('add <name>')
    .description(help('docs.categories.add.description'))
    .action(async (name: string) => {
      const c = await cli();
      if (!name.trim()) throw new CliFailure(c.t('docs:cli.category_empty'));
      const res = await addCategory(c.svc.db, name);
      if (res.created)
        await audit(c.svc.db, {
          actor: 'cli',
          action: 'docs.category.add',
          target: `category:${res.category.id}`,
          details: { name: res.category.name },
        });
      c.out(c.t(res.created ? 'docs:cli.category_added' : 'docs:cli.category_exists', { name: res.category.name }));
    });
}
