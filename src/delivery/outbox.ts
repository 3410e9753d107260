import type { Db } from '../db/client.js';
import type { Prisma } from '../db/generated/client.js';
import type { OutgoingMessage } from '../core/messages.js';
import { fitsEverywhere, partKey, partsForChannel } from './parts.js';

export interface OutboxItem {
  chatIdentityId: number;
  /** Unique per message ever meant, e.g. `deadline:42:unit:7:person:19:d-3`: a second enqueue is a no-op. */
  dedupeKey: string;
  payload: OutgoingMessage;
  urgent?: boolean;
}

type Tx = Db | Prisma.TransactionClient;

/** The PostgreSQL notification channel `enqueue` signals on; delivery workers LISTEN to it (wakeups.ts). */
export const OUTBOX_NOTIFY_CHANNEL = 'capuy_outbox';

/**
 * Queues messages, in the caller's transaction when one is given, so a change and the messages it
 * causes commit together, and signals the workers of all processes. Returns how many were new
 * (duplicates by key are skipped). A text longer than its chat's channel takes is queued as ordered
 * parts (see `partsFor`); the worker sends one chat's rows oldest first.
 */
export async function enqueue(db: Tx, items: OutboxItem[]): Promise<number> {
  items = await splitForChannels(db, items);
  let queued = 0;
  // Chunks keep each INSERT's parameter count well under PostgreSQL's 65,535 limit.
  for (let i = 0; i < items.length; i += 5000) {
    const chunk = items.slice(i, i + 5000);
    const res = await db.outboxMessage.createMany({
      data: chunk.map((it) => ({
        chatIdentityId: it.chatIdentityId,
        dedupeKey: it.dedupeKey,
        payload: it.payload as unknown as Prisma.InputJsonValue,
        urgent: it.urgent ?? false,
      })),
      skipDuplicates: true,
    });
    queued += res.count;
  }
  // Wakes the delivery workers of every process (they LISTEN; PostgreSQL delivers it on commit, and
  // not at all if the transaction rolls back). The caller's svc.kick() still wakes this process.
  if (queued > 0) await db.$executeRawUnsafe(`SELECT pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '')`);
  return queued;
}

/**
 * Each item as the parts its chat's channel takes, in order, the last keeping the item's dedupe key.
 * Only texts too long for the smallest channel cost a look at their chats' channels.
 */
async function splitForChannels(db: Tx, items: OutboxItem[]): Promise<OutboxItem[]> {
  const long = items.filter((it) => !fitsEverywhere(it.payload));
  if (long.length === 0) return items;
  const chats = await db.chatIdentity.findMany({
    where: { id: { in: [...new Set(long.map((it) => it.chatIdentityId))] } },
    select: { id: true, channel: true },
  });
  const channelOf = new Map(chats.map((c) => [c.id, c.channel]));
  return items.flatMap((it) => {
    const channel = channelOf.get(it.chatIdentityId);
    if (channel === undefined) return [it];
    const parts = partsForChannel(channel, it.payload);
    return parts.map((payload, i) => ({ ...it, payload, dedupeKey: partKey(it.dedupeKey, i, parts.length) }));
  });
}

export interface OutboxStats {
  byStatus: Record<string, number>;
  oldestPending: { id: string; createdAt: Date; dedupeKey: string } | null;
  lastErrors: { id: string; status: string; lastError: string; at: Date }[];
}

export async function outboxStats(db: Db): Promise<OutboxStats> {
  const groups = await db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
  const byStatus: Record<string, number> = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const g of groups) byStatus[g.status] = g._count._all;
  const oldest = await db.outboxMessage.findFirst({
    where: { status: { in: ['pending', 'sending'] } },
    orderBy: { id: 'asc' },
    select: { id: true, createdAt: true, dedupeKey: true },
  });
  const errs = await db.outboxMessage.findMany({
    where: { lastError: { not: null } },
    orderBy: { id: 'desc' },
    take: 5,
    select: { id: true, status: true, lastError: true, createdAt: true },
  });
  return {
    byStatus,
    oldestPending: oldest ? { id: String(oldest.id), createdAt: oldest.createdAt, dedupeKey: oldest.dedupeKey } : null,
    lastErrors: errs.map((e) => ({ id: String(e.id), status: e.status, lastError: e.lastError!, at: e.createdAt })),
  };
}
