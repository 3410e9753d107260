import type {
  BotCommand,
  ForceReply,
  InlineKeyboardMarkup,
  LinkPreviewOptions,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
} from 'telegraf/types';

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** One version of a bot message's content. */
export interface MessageRevision {
  /** Text exactly as the bot sent it (HTML included). */
  text: string;
  /** Text as a Telegram user sees it: tags stripped, entities decoded, trimmed. */
  plainText: string;
  parse_mode?: string | undefined;
  entities: MessageEntity[];
  reply_markup?: ReplyMarkup | undefined;
  /** Unix seconds when this revision was made. */
  date: number;
}

export interface MessageEdit extends MessageRevision {
  method: 'editMessageText' | 'editMessageReplyMarkup';
}

/** A message sent by the bot; the top-level content fields always hold the current revision. */
export interface StoredMessage {
  message_id: number;
  chat_id: number;
  text: string;
  plainText: string;
  parse_mode?: string | undefined;
  entities: MessageEntity[];
  reply_markup?: ReplyMarkup | undefined;
  link_preview_options?: LinkPreviewOptions | undefined;
  reply_to_message_id?: number | undefined;
  /** Unix seconds when the message was sent. */
  date: number;
  edit_date?: number | undefined;
  original: MessageRevision;
  /** Every edit in order; the last one equals the current content. */
  edits: MessageEdit[];
  deleted: boolean;
}

export interface TestUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TestChat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
}

export interface FaultError {
  code: number;
  description: string;
  retry_after?: number;
}

/** `'timeout'` holds the request unanswered, then drops the connection. */
export type Fault = FaultError | 'timeout';

export interface RateLimitOptions {
  /** Messages per second across all chats. */
  global?: number;
  /** Messages per second to one private chat (chat_id > 0). */
  perChat?: number;
  /** Messages per minute to one group (chat_id < 0). */
  perGroupPerMinute?: number;
  /** Methods that count as "messages"; default `['sendMessage']`. */
  methods?: string[];
}

export interface EmulatorOptions {
  token?: string;
  botUsername?: string;
  botFirstName?: string;
  rateLimit?: RateLimitOptions;
  /** How long a `'timeout'` fault holds the request before dropping it (default 30 000 ms). */
  hangMs?: number;
  /** See `HtmlOptions.strictAmpersand`; default true. */
  strictHtmlAmpersand?: boolean;
  /** First delay between webhook delivery retries, doubled per failure up to 2 s (default 50 ms). */
  webhookRetryMs?: number;
  /** Per-attempt webhook request timeout (default 10 000 ms). */
  webhookTimeoutMs?: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string | undefined;
  show_alert: boolean;
  url?: string | undefined;
  cache_time?: number | undefined;
  /** Where the pressed button was. */
  chat_id: number;
  message_id: number;
  data: string;
}

export interface ApiRequest {
  method: string;
  body: Record<string, unknown>;
}

export interface FailedCall {
  method: string;
  chat_id?: unknown;
  error_code: number;
  description: string;
}

export interface EmulatorStats {
  /** Successful calls by method name. */
  sent: Record<string, number>;
  /** Failed calls (any error, injected or not) by method name. */
  errors: Record<string, number>;
  rateLimited: number;
}

export interface EmulatorEvents {
  message: [message: StoredMessage, kind: 'sent' | 'edited'];
  deleted: [message: StoredMessage];
  request: [request: ApiRequest];
  update: [update: Update];
  callbackAnswer: [answer: CallbackAnswer];
}

export type CommandsByLanguage = Record<string, BotCommand[]>;
