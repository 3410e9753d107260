import { DateTime } from 'luxon';
import type { Clock } from '../../core/clock.js';
import { formatDateTime } from '../../core/format.js';
import type { OutgoingMessage } from '../../core/messages.js';
import type { Db } from '../../db/client.js';
import { t as translate } from '../../i18n.js';
import { ackData, broadcastTitle } from './compose.js';
import { queueReminders } from './queue.js';

function reminder(locale: 'vi' | 'en', id: number, title: string, sentAt: Date, zone: string): OutgoingMessage {
  const t = translate(locale);
  const when = formatDateTime(DateTime.fromJSDate(sentAt, { zone }), locale);
  return {
    text: t('broadcasts:reminder.text', { title, when }),
    buttons: [[{ text: t('broadcasts:message.ack_button'), data: ackData(id, true) }]],
  };
}

/**
 * Reminds, once per broadcast, whoever has not pressed "Đã nhận" when its follow-up is due.
 * Setting `reminded_at` first, in the same transaction, keeps two processes from both sending it.
 */
export async function sendDueReminders(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  const due = await db.broadcast.findMany({
    where: { ackRequested: true, remindedAt: null, remindAt: { lte: now.toJSDate() } },
    include: { document: { select: { title: true } } },
    orderBy: { id: 'asc' },
  });
  let queued = 0;
  for (const b of due) {
    queued += await db.$transaction(async (tx) => {
      const claimed = await tx.broadcast.updateMany({ where: { id: b.id, remindedAt: null }, data: { remindedAt: now.toJSDate() } });
      if (claimed.count === 0) return 0;
      const title = broadcastTitle(b.text, b.document?.title ?? null);
      return queueReminders(tx, b.id, {
        vi: reminder('vi', b.id, title, b.createdAt, clock.zone),
        en: reminder('en', b.id, title, b.createdAt, clock.zone),
      });
    });
  }
  return queued;
}
