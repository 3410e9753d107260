import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { DataDirLockedError } from '../db/dataDirLock.js';
import { plainT as t } from '../i18n.js';
import { registerDelivery } from './commands/delivery.js';
import { registerOrg } from './commands/org.js';
import { openCli, type CliContext, type CliDeps } from './context.js';
import { CliFailure } from './failure.js';
import { cliRegistrations } from './registry.js';
import { help } from './help.js';
import { loadDotEnv } from '../dotenv.js';

/** `npm run cli -- <command>`; returns the exit status. */
export async function runCli(
  argv: string[],
  out: (line: string) => void = (l) => console.log(l),
  deps: CliDeps = {},
  err: (line: string) => void = (l) => console.error(l),
): Promise<number> {
  let ctx: CliContext | undefined;
  const cli = async () => (ctx ??= await openCli(out, deps));
  const program = new Command('capuy')
    .description(help('description'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => err(s.trimEnd()) });
  registerOrg(program, cli);
  registerDelivery(program, cli);
  for (const register of cliRegistrations) register(program, cli);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof DataDirLockedError) {
      err(t('vi')('cli:db_locked', { dir: e.dataDir, pid: e.pid }));
      return 1;
    }
    if (e instanceof CliFailure || e instanceof ConfigError) {
      err(e.message);
      return 1;
    }
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 2;
  } finally {
    await ctx?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  loadDotEnv();
  process.exitCode = await runCli(process.argv.slice(2));
}
