import type { Db } from '../db/client.js';
import type { Role } from '../db/generated/enums.js';
import type { Channel } from '../core/messages.js';

export interface PersonRole {
  role: Role;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitKind: 'dang_bo' | 'chi_bo';
}

export interface PersonView {
  id: number;
  fullName: string;
  phone: string;
  position: string | null;
  locale: string;
  roles: PersonRole[];
}

export async function loadPerson(db: Db, personId: number): Promise<PersonView | null> {
  const p = await db.person.findUnique({
    where: { id: personId },
    include: { roles: { include: { unit: true }, orderBy: { id: 'asc' } } },
  });
  if (!p) return null;
  return {
    id: p.id,
    fullName: p.fullName,
    phone: p.phone,
    position: p.position,
    locale: p.locale,
    roles: p.roles.map((r) => ({ role: r.role, unitId: r.unitId, unitCode: r.unit.code, unitName: r.unit.name, unitKind: r.unit.kind })),
  };
}

export function holdsAny(person: PersonView, roles: readonly Role[]): boolean {
  return person.roles.some((r) => roles.includes(r.role));
}

/** Links a chat to a person (re-linking a chat moves it), and reactivates it. */
export async function linkChat(db: Db, channel: Channel, chatId: string, personId: number) {
  return db.chatIdentity.upsert({
    where: { channel_chatId: { channel, chatId } },
    create: { channel, chatId, personId, isGroup: false },
    update: { personId, active: true, blockReason: null, linkedAt: new Date() },
  });
}
