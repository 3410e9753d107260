import type { Db } from '../db/client.js';
import type { Prisma } from '../db/generated/client.js';

export interface AuditEntry {
  /** Person who acted, when known. */
  actorId?: number | null;
  /** "cli", "telegram:12345", "sandbox"… */
  actor: string;
  action: string;
  target?: string;
  details?: Prisma.InputJsonValue;
}

export async function audit(db: Db | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId ?? null,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      ...(entry.details === undefined ? {} : { details: entry.details }),
    },
  });
}
