import type { Db } from '../../db/client.js';
import type { Role } from '../../db/generated/enums.js';
import { audit } from '../audit.js';

/** Who may link a unit's group: its secretaries (or those of a unit above it), and admins. */
export const GROUP_LINK_ROLES = ['bi_thu', 'pho_bi_thu', 'admin'] as const satisfies readonly Role[];

export interface GroupLink {
  chatIdentityId: number;
  unit: { id: number; code: string } | null;
  actorId: number | null;
  actor: string;
}

/** Links a Telegram group to a unit (or unlinks it with null), so broadcasts to the unit reach it. */
export async function linkGroup(db: Db, link: GroupLink): Promise<{ previous: { code: string; name: string } | null }> {
  return db.$transaction(async (tx) => {
    const chat = await tx.chatIdentity.findUniqueOrThrow({ where: { id: link.chatIdentityId }, include: { unit: true } });
    await tx.chatIdentity.update({ where: { id: chat.id }, data: { unitId: link.unit?.id ?? null, active: true, blockReason: null } });
    await audit(tx, {
      actorId: link.actorId,
      actor: link.actor,
      action: link.unit ? 'group.link' : 'group.unlink',
      target: `chat:${chat.channel}:${chat.chatId}`,
      details: { unit: link.unit?.code ?? null, previous: chat.unit?.code ?? null },
    });
    return { previous: chat.unit ? { code: chat.unit.code, name: chat.unit.name } : null };
  });
}
