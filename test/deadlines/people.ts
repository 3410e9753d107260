import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { normalizePhone } from '../../src/domain/phone.js';
import { importFixtureOrg } from '../helpers/org.js';

/** People of test/fixtures/people.csv used here, with the Telegram user id each one writes as. */
export const P = {
  hanh: { phone: '0913 222 333', tg: 501, unit: 'CB1-BTG' }, // bí thư CB1-BTG
  hung: { phone: '0913 222 444', tg: 502, unit: 'CB2-BTG' }, // bí thư CB2-BTG
  lan: { phone: '0913 222 555', tg: 503, unit: 'CB3-BTG' }, // bí thư CB3-BTG
  long: { phone: '0913 222 666', tg: 504, unit: 'CB3-BTG' }, // phó bí thư CB3-BTG
  dung: { phone: '0908 765 432', tg: 505, unit: 'DB-BTG' }, // phụ trách DB-BTG
  binh: { phone: '0903 111 222', tg: 506, unit: 'DBK' }, // văn phòng DBK
  an: { phone: '0912 345 678', tg: 507, unit: 'DBK' }, // admin DBK
  ngoc: { phone: '0914 333 888', tg: 508, unit: 'CB1-MT' }, // bí thư CB1-MT
  phuc: { phone: '0914 333 999', tg: 509, unit: 'CBCS-HLH' }, // bí thư CBCS-HLH
} as const;
export type Who = keyof typeof P;

export const user = (who: Who) => ({ id: P[who].tg, first_name: who, language_code: 'vi' });

/** Imports the fixture tree and roster and links the given people's Telegram chats. */
export async function setupOrg(database: Database, config: Config, linked: Who[] = Object.keys(P) as Who[]): Promise<void> {
  await importFixtureOrg(database, config);
  for (const who of linked) await link(database, who);
}

export async function link(database: Database, who: Who, tg: number = P[who].tg): Promise<number> {
  const person = await database.prisma.person.findUniqueOrThrow({ where: { phone: normalizePhone(P[who].phone)! } });
  await database.prisma.chatIdentity.upsert({
    where: { channel_chatId: { channel: 'telegram', chatId: String(tg) } },
    create: { channel: 'telegram', chatId: String(tg), personId: person.id },
    update: { personId: person.id, active: true },
  });
  return person.id;
}

export async function personId(database: Database, who: Who): Promise<number> {
  return (await database.prisma.person.findUniqueOrThrow({ where: { phone: normalizePhone(P[who].phone)! } })).id;
}

export async function unitId(database: Database, code: string): Promise<number> {
  return (await database.prisma.unit.findUniqueOrThrow({ where: { code } })).id;
}
