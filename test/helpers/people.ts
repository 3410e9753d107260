import type { Db } from '../../src/db/client.js';

/**
 * Adds `n` linked đảng viên to a unit, with Telegram chat ids starting at `firstChatId`, in bulk:
 * delivery tests need hundreds of recipients and the CLI import is not what they test.
 */
export async function addLinkedMembers(db: Db, unitCode: string, n: number, firstChatId: number): Promise<number[]> {
  const unit = await db.unit.findUniqueOrThrow({ where: { code: unitCode } });
  const phones = Array.from({ length: n }, (_, i) => `+8497${String(firstChatId + i).padStart(7, '0')}`);
  await db.person.createMany({
    data: phones.map((phone, i) => ({ phone, fullName: `Đảng viên ${firstChatId + i}` })),
    skipDuplicates: true,
  });
  const people = await db.person.findMany({ where: { phone: { in: phones } }, orderBy: { phone: 'asc' } });
  await db.roleAssignment.createMany({
    data: people.map((p) => ({ personId: p.id, unitId: unit.id, role: 'dang_vien' as const })),
    skipDuplicates: true,
  });
  await db.chatIdentity.createMany({
    data: people.map((p, i) => ({ channel: 'telegram', chatId: String(firstChatId + i), personId: p.id })),
    skipDuplicates: true,
  });
  return people.map((_, i) => firstChatId + i);
}
