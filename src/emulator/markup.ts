import type { InlineKeyboardMarkup } from 'telegraf/types';
import { badRequest } from './errors.js';
import type { ReplyMarkup } from './types.js';

const INLINE_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

const MAX_CALLBACK_DATA_BYTES = 64;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates `reply_markup` the way Telegram rejects the mistakes bots commonly make. */
export function validateReplyMarkup(markup: unknown): ReplyMarkup {
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ('inline_keyboard' in markup) return validateInlineKeyboard(markup.inline_keyboard) as InlineKeyboardMarkup;
  if ('keyboard' in markup) {
    if (!isRows(markup.keyboard)) throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    return markup as unknown as ReplyMarkup;
  }
  if (markup.remove_keyboard === true || markup.force_reply === true) return markup as unknown as ReplyMarkup;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

function isRows(rows: unknown): rows is unknown[][] {
  return Array.isArray(rows) && rows.every((row) => Array.isArray(row));
}

function validateInlineKeyboard(rows: unknown): { inline_keyboard: unknown[][] } {
  if (!isRows(rows)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  for (const row of rows) for (const button of row) validateInlineButton(button);
  return { inline_keyboard: rows };
}

function validateInlineButton(button: unknown): void {
  const fail = (reason: string): never => {
    throw badRequest(`can't parse inline keyboard button: ${reason}`);
  };
  if (!isObject(button)) fail('InlineKeyboardButton must be an Object');
  const b = button as Record<string, unknown>;
  if (typeof b.text !== 'string') fail('Field "text" must be of type String');
  const actions = INLINE_ACTIONS.filter((key) => b[key] !== undefined);
  if (actions.length === 0) fail('Text buttons are unallowed in the inline keyboard');
  if (typeof b.callback_data === 'string') {
    const bytes = Buffer.byteLength(b.callback_data);
    if (bytes === 0 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
  } else if (b.callback_data !== undefined) {
    fail('Field "callback_data" must be of type String');
  }
  if (b.url !== undefined && !isValidButtonUrl(b.url)) {
    throw badRequest(`inline keyboard button URL '${String(b.url)}' is invalid: Wrong HTTP URL`);
  }
}

function isValidButtonUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  if (/^tg:\/\/\S+$/i.test(url)) return true;
  try {
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`);
    return /^https?:$/.test(parsed.protocol) && parsed.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Finds the inline button a user could press to send `data`. */
export function hasCallbackButton(markup: ReplyMarkup | undefined, data: string): boolean {
  if (!markup || !('inline_keyboard' in markup)) return false;
  return markup.inline_keyboard.some((row) => row.some((b) => 'callback_data' in b && b.callback_data === data));
}
