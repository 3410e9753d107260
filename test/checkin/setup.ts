import { cli } from '../helpers/cli.js';
import type { Harness } from '../helpers/harness.js';

export async function runCli(h: Harness, ...argv: string[]) {
  return cli(h.database, h.config, argv, h.clock);
}

/** Opens a campaign through the CLI and returns its id (printed alone on the first line). */
export async function openByCli(h: Harness, ...argv: string[]): Promise<number> {
  const res = await runCli(h, 'checkin', 'open', ...argv);
  if (res.code !== 0) throw new Error(`checkin open failed (${res.code}): ${res.err}`);
  h.app.worker.kick();
  return Number(res.out.split('\n')[0]);
}

export async function reportOf(h: Harness, campaignId: number, unitCode: string) {
  const unit = await h.db.unit.findUniqueOrThrow({ where: { code: unitCode } });
  return h.db.checkinReport.findUniqueOrThrow({
    where: { campaignId_unitId: { campaignId, unitId: unit.id } },
    include: { versions: { orderBy: { version: 'asc' } } },
  });
}
