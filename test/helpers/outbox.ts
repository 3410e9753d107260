import type { Db } from '../../src/db/client.js';

/** Resolves once nothing is waiting in the outbox (everything queued so far has been sent or given up). */
export async function outboxDrained(db: Db, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) > 0) {
    if (Date.now() > end) throw new Error('the outbox did not drain in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
