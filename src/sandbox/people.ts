import type { Db } from '../db/client.js';
import { normalizePhone } from '../domain/phone.js';
import type { TestUser } from '../emulator/botApiEmulator.js';
import type { TFunction } from '../i18n.js';
import { DEMO_PEOPLE, DEMO_STRANGER, DEMO_UNITS } from './demo.js';

/** Someone the page can act as: a demo person or the stranger. */
export interface Actor {
  id: number;
  user: TestUser;
  phone: string;
}

export interface PersonCard {
  userId: number;
  name: string;
  title: string;
  unit: string;
  linked: boolean;
}

export function findActor(userId: number): Actor | undefined {
  const p = DEMO_PEOPLE.find((d) => d.userId === userId) ?? (userId === DEMO_STRANGER.userId ? DEMO_STRANGER : undefined);
  if (!p) return undefined;
  // As Telegram shares it: international digits without "+" (84913222555).
  const phone = (normalizePhone(p.phone) ?? p.phone).replace(/^\+/, '');
  return { id: p.userId, user: { id: p.userId, first_name: p.fullName, language_code: 'vi' }, phone };
}

/** The picker's list, with whether each person's chat is linked right now. */
export async function listPeople(db: Db, t: TFunction): Promise<PersonCard[]> {
  const ids = [...DEMO_PEOPLE.map((p) => p.userId), DEMO_STRANGER.userId].map(String);
  const chats = await db.chatIdentity.findMany({
    where: { channel: 'telegram', chatId: { in: ids }, personId: { not: null }, active: true },
    select: { chatId: true },
  });
  const linked = new Set(chats.map((c) => Number(c.chatId)));
  const unitName = new Map(DEMO_UNITS.map((u) => [u.code, u.name]));
  return [
    ...DEMO_PEOPLE.map((p) => ({
      userId: p.userId,
      name: p.fullName,
      title: p.title,
      unit: unitName.get(p.unit) ?? p.unit,
      linked: linked.has(p.userId),
    })),
    {
      userId: DEMO_STRANGER.userId,
      name: DEMO_STRANGER.fullName,
      title: t('sandbox:stranger.title'),
      unit: t('sandbox:stranger.unit'),
      linked: linked.has(DEMO_STRANGER.userId),
    },
  ];
}
