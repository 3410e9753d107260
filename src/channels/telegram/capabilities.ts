/**
 * What a channel can show, declared by its adapter (the Zalo adapter will declare its own). Views are
 * written once, channel-neutral; the adapter makes them fit (see `fitHtml`).
 */
export interface ChannelCapabilities {
  /** Longest text a message may have, in visible characters (UTF-16 code units, tags stripped, entities decoded). */
  maxTextLength: number;
  /** Longest text of a button-press popup. */
  maxPopupLength: number;
  /** Inline buttons under a message. */
  buttons: boolean;
  /** A sent message can be replaced (Reply.edit). */
  edits: boolean;
  /** A button press can be answered with a short popup (Reply.notify). */
  popups: boolean;
  /** Text is Telegram's HTML subset; without it the adapter sends plain text. */
  html: boolean;
}

/** Telegram Bot API: sendMessage/editMessageText refuse text over 4096 characters, answerCallbackQuery over 200. */
export const telegramCapabilities = {
  maxTextLength: 4096,
  maxPopupLength: 200,
  buttons: true,
  edits: true,
  popups: true,
  html: true,
} as const satisfies ChannelCapabilities;
