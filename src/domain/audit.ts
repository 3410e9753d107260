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

/** Many entries in one statement (bulk work: one row per person, as `audit` would write them one by one). */
export async function auditMany(db: Db | Prisma.TransactionClient, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  // One INSERT … SELECT FROM unnest(arrays): a handful of parameters however many rows, where
  // createMany would build (and the query compiler walk) five parameters per row.
  await db.$executeRaw`
    INSERT INTO audit_log (actor_id, actor, action, target, details)
    SELECT * FROM unnest(
      ${entries.map((e) => e.actorId ?? null)}::int[],
      ${entries.map((e) => e.actor)}::text[],
      ${entries.map((e) => e.action)}::text[],
      ${entries.map((e) => e.target ?? null)}::text[],
      ${entries.map((e) => (e.details === undefined ? null : JSON.stringify(e.details)))}::text[]::jsonb[])`;
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
