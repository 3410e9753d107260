import type { Update } from 'telegraf/types';
import type { IncomingMessage } from '../../core/messages.js';

/** Telegram update → channel-neutral message; null for updates the bot ignores. */
export function normalizeUpdate(update: Update): IncomingMessage | null {
  if ('callback_query' in update) {
    const q = update.callback_query;
    if (!('data' in q) || !q.message) return null;
    return {
      channel: 'telegram',
      updateId: String(update.update_id),
      chat: chatOf(q.message.chat),
      sender: senderOf(q.from),
      kind: 'button',
      data: q.data,
      messageRef: String(q.message.message_id),
    };
  }
  if ('message' in update) {
    const m = update.message;
    if (!m.from || m.from.is_bot) return null;
    const base = { channel: 'telegram' as const, updateId: String(update.update_id), chat: chatOf(m.chat), sender: senderOf(m.from) };
    if ('contact' in m) {
      const userId = m.contact.user_id;
      return { ...base, kind: 'contact', contact: { phone: m.contact.phone_number, ...(userId ? { userId: String(userId) } : {}) } };
    }
    if ('text' in m) return { ...base, kind: 'text', text: m.text };
  }
  return null;
}

function chatOf(chat: { id: number; type: string; title?: string }): IncomingMessage['chat'] {
  return { id: String(chat.id), isGroup: chat.type !== 'private', ...(chat.title ? { title: chat.title } : {}) };
}

function senderOf(from: { id: number; first_name: string; last_name?: string; language_code?: string }): IncomingMessage['sender'] {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  return { id: String(from.id), name, ...(from.language_code ? { languageCode: from.language_code } : {}) };
}
