import type { Database } from '../../src/db/client.js';
import { normalizePhone } from '../../src/domain/phone.js';
import { cli } from '../helpers/cli.js';
import type { Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';

/** People of test/fixtures/people.csv, with the Telegram user id each test uses for them. */
export const PEOPLE = {
  AN: { id: 8001, first_name: 'An', phone: '0912 345 678' }, // admin, DBK
  DUNG: { id: 8002, first_name: 'Dũng', phone: '0908 765 432' }, // phụ trách DB-BTG, cấp ủy viên DBK
  HANH: { id: 8011, first_name: 'Hạnh', phone: '0913 222 333' }, // bí thư CB1-BTG
  HUNG: { id: 8012, first_name: 'Hùng', phone: '0913 222 444' }, // bí thư CB2-BTG
  LAN: { id: 8013, first_name: 'Lan', phone: '0913 222 555' }, // bí thư CB3-BTG
  LONG: { id: 8014, first_name: 'Long', phone: '0913 222 666' }, // phó bí thư CB3-BTG
  NGOC: { id: 8015, first_name: 'Ngọc', phone: '0914 333 888' }, // bí thư CB1-MT
  PHUC: { id: 8016, first_name: 'Phúc', phone: '0914 333 999' }, // bí thư CBCS-HLH
} as const;
export type Who = keyof typeof PEOPLE;

/** Links Telegram chats to people by inserting ChatIdentity rows (chat id = user id). */
export async function link(database: Database, ...who: Who[]): Promise<void> {
  for (const w of who) {
    const p = PEOPLE[w];
    const person = await database.prisma.person.findUniqueOrThrow({ where: { phone: normalizePhone(p.phone)! } });
    await database.prisma.chatIdentity.upsert({
      where: { channel_chatId: { channel: 'telegram', chatId: String(p.id) } },
      create: { channel: 'telegram', chatId: String(p.id), personId: person.id },
      update: { personId: person.id, active: true },
    });
  }
}

export async function setupOrg(h: Harness, ...who: Who[]): Promise<void> {
  await importFixtureOrg(h.database, h.config);
  await link(h.database, ...who);
}

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
