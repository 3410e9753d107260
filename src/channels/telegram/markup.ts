import type { OutgoingMessage } from '../../core/messages.js';
import { telegramCapabilities } from './capabilities.js';
import { fitHtml } from './fit.js';

/** The text as sent: clipped to Telegram's limit (a longer one would be refused with 400). */
export function telegramText(msg: OutgoingMessage): string {
  return fitHtml(msg.text, telegramCapabilities.maxTextLength);
}

/** Telegram's sendMessage/editMessageText options for a channel-neutral message. */
export function telegramExtra(msg: OutgoingMessage, forEdit = false): Record<string, unknown> {
  const extra: Record<string, unknown> = { parse_mode: 'HTML' };
  if (msg.noPreview !== false) extra.link_preview_options = { is_disabled: true };
  if (msg.buttons?.length) {
    extra.reply_markup = {
      inline_keyboard: msg.buttons.map((row) =>
        row.map((b) => (b.url ? { text: b.text, url: b.url } : { text: b.text, callback_data: b.data ?? 'noop' })),
      ),
    };
  } else if (!forEdit && msg.requestContact) {
    extra.reply_markup = {
      keyboard: [[{ text: msg.requestContact, request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    };
  } else if (!forEdit && msg.removeKeyboard) {
    extra.reply_markup = { remove_keyboard: true };
  }
  return extra;
}
