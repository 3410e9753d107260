import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { TestUser } from '../../src/emulator/botApiEmulator.js';
import { importFixtureOrg } from './org.js';

/**
 * The people of test/fixtures/people.csv, the one roster every feature's tests use: full name, phone
 * (as the import stores it), the unit of their first role, and the one Telegram user id each writes
 * as (their private chat id too). A feature that needs someone else adds them on top (see
 * test/broadcasts/org.ts) with an id outside 7101–7111.
 */
export const ROSTER = {
  an: { name: 'Nguyễn Văn An', phone: '+84912345678', tg: 7101, unit: 'DBK' }, // admin DBK
  chau: { name: 'Lê Minh Châu', phone: '+84987654321', tg: 7102, unit: 'DBK' }, // tuyên giáo DBK
  dung: { name: 'Phạm Quốc Dũng', phone: '+84908765432', tg: 7103, unit: 'DB-BTG' }, // phụ trách DB-BTG, cấp ủy viên DBK
  hanh: { name: 'Võ Thị Hạnh', phone: '+84913222333', tg: 7104, unit: 'CB1-BTG' }, // bí thư CB1-BTG
  hung: { name: 'Đặng Văn Hùng', phone: '+84913222444', tg: 7105, unit: 'CB2-BTG' }, // bí thư CB2-BTG
  lan: { name: 'Huỳnh Thị Lan', phone: '+84913222555', tg: 7106, unit: 'CB3-BTG' }, // bí thư CB3-BTG
  long: { name: 'Bùi Thanh Long', phone: '+84913222666', tg: 7107, unit: 'CB3-BTG' }, // phó bí thư CB3-BTG
  tuyen: { name: 'Nguyễn Trung Châu Tuyên', phone: '+84914333777', tg: 7108, unit: 'DB-BTG' }, // báo cáo viên DB-BTG
  ngoc: { name: 'Trương Mỹ Ngọc', phone: '+84914333888', tg: 7109, unit: 'CB1-MT' }, // bí thư CB1-MT
  phuc: { name: 'Hồ Văn Phúc', phone: '+84914333999', tg: 7110, unit: 'CBCS-HLH' }, // bí thư CBCS-HLH
  binh: { name: 'Trần Thị Bình', phone: '+84903111222', tg: 7111, unit: 'DBK' }, // văn phòng DBK
} as const;
export type Who = keyof typeof ROSTER;

/** Someone the tests know: a fixture person or a feature's addition. */
export interface RosterPerson {
  name: string;
  phone: string;
  tg: number;
}

/** Everyone of people.csv. */
export const EVERYONE = Object.keys(ROSTER) as Who[];

const personOf = (who: Who | RosterPerson): RosterPerson => (typeof who === 'string' ? ROSTER[who] : who);

/** The Telegram user a person writes as (first name = the last word of the full name). */
export function user(who: Who | RosterPerson): TestUser {
  const p = personOf(who);
  return { id: p.tg, first_name: p.name.split(' ').at(-1)!, language_code: 'vi' };
}

/**
 * Links a person's Telegram chat directly by inserting (or reactivating) its ChatIdentity row, as
 * onboarding would; `tg` overrides the chat id. Returns the person's id.
 */
export async function link(database: Database, who: Who | Pick<RosterPerson, 'phone' | 'tg'>, tg?: number): Promise<number> {
  const p = typeof who === 'string' ? ROSTER[who] : who;
  tg ??= p.tg;
  const person = await database.prisma.person.findUniqueOrThrow({ where: { phone: p.phone } });
  await database.prisma.chatIdentity.upsert({
    where: { channel_chatId: { channel: 'telegram', chatId: String(tg) } },
    create: { channel: 'telegram', chatId: String(tg), personId: person.id },
    update: { personId: person.id, active: true },
  });
  return person.id;
}

/** Imports the fixture organisation and links the chats of `linked` (everyone of people.csv by default). */
export async function setupOrg(database: Database, config: Config, linked: readonly Who[] = EVERYONE): Promise<void> {
  await importFixtureOrg(database, config);
  for (const who of linked) await link(database, who);
}

export async function personId(database: Database, who: Who | RosterPerson): Promise<number> {
  return (await database.prisma.person.findUniqueOrThrow({ where: { phone: personOf(who).phone } })).id;
}

export async function unitId(database: Database, code: string): Promise<number> {
  return (await database.prisma.unit.findUniqueOrThrow({ where: { code } })).id;
}
