import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  BotCommand,
  BotCommandScope,
  Chat,
  LinkPreviewOptions,
  Message,
  ReplyParameters,
  Update,
  User,
  UserFromGetMe,
} from 'telegraf/types';
import {
  ApiError,
  badRequest,
  blockedError,
  METHOD_NOT_FOUND,
  NOT_FOUND,
  POLLING_CONFLICT,
  tooManyRequests,
  UNAUTHORIZED,
  WEBHOOK_CONFLICT,
} from './errors.js';
import { FaultInjector } from './faults.js';
import { formatMessageText } from './html.js';
import { httpStatus, readParams, writeJson } from './http.js';
import { hasCallbackButton, validateReplyMarkup } from './markup.js';
import { optBool, optInt, optJson, optString, type Params, requireChatId, requireMessageId } from './params.js';
import { RateLimiter } from './rateLimiter.js';
import { ChatStore } from './store.js';
import type {
  CallbackAnswer,
  CommandsByLanguage,
  EmulatorEvents,
  EmulatorOptions,
  EmulatorStats,
  FailedCall,
  Fault,
  MessageEdit,
  MessageRevision,
  StoredMessage,
  TestChat,
  TestUser,
} from './types.js';
import { type WebhookConfig, WebhookSender } from './webhook.js';

export * from './types.js';
export { ApiError } from './errors.js';

type Handler = (params: Params, clientGone?: AbortSignal) => unknown;
type Content = Omit<MessageRevision, 'date'>;
type Outcome = { ok: true; result: unknown; description?: string } | { ok: false; error: ApiError } | 'hang';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type UpdatePayload = DistributiveOmit<Update, 'update_id'>;

/** A successful result that Telegram accompanies with a human-readable description. */
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

const MAX_MESSAGE_LENGTH = 4096;
const MAX_CALLBACK_ANSWER_LENGTH = 200;
const RECENT_ERRORS = 50;
const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const QUERY_INVALID = 'query is too old and response timeout expired or query ID is invalid';
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const unixNow = (): number => Math.floor(Date.now() / 1000);
const looseChatId = (body: Params): number | undefined => {
  const id = Number(body.chat_id);
  return Number.isSafeInteger(id) && id !== 0 ? id : undefined;
};

/**
 * A local, in-memory Telegram Bot API server for tests and the sandbox. It speaks the real HTTP
 * protocol (`/bot<token>/<method>`), so the production bot code runs against it unchanged.
 */
export class BotApiEmulator extends EventEmitter<EmulatorEvents> {
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly callbackAnswers: CallbackAnswer[] = [];
  /** The latest failed calls (newest last), handy when a wait times out. */
  readonly recentErrors: FailedCall[] = [];
  stats: EmulatorStats = { sent: {}, errors: {}, rateLimited: 0 };

  private readonly opts: Required<Pick<EmulatorOptions, 'hangMs' | 'strictHtmlAmpersand'>> & EmulatorOptions;
  private readonly handlers = new Map<string, { name: string; run: Handler }>();
  private readonly store = new ChatStore();
  private readonly faults = new FaultInjector();
  private limiter: RateLimiter | undefined;
  private readonly blocked = new Set<number>();
  private readonly commandSets = new Map<string, { scope: BotCommandScope; language_code: string; commands: BotCommand[] }>();
  private readonly callbackQueries = new Map<string, { chat_id: number; message_id: number; data: string; answered: boolean }>();
  private updates: Update[] = [];
  private lastUpdateId = 0;
  private lastCallbackId = 0;
  private poll: { wake: (error?: ApiError) => void } | undefined;
  private webhook: WebhookConfig | undefined;
  private readonly webhookSender: WebhookSender;
  private server: Server | undefined;
  private life = new AbortController();

  constructor(opts: EmulatorOptions = {}) {
    super();
    this.opts = { hangMs: 30_000, strictHtmlAmpersand: true, ...opts };
    this.token = opts.token ?? '123456:TEST';
    this.botInfo = {
      id: Number(this.token.split(':')[0]) || 123456,
      is_bot: true,
      first_name: opts.botFirstName ?? 'Capuy Test Bot',
      username: opts.botUsername ?? 'capuy_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    if (opts.rateLimit) this.limiter = new RateLimiter(opts.rateLimit);
    this.webhookSender = new WebhookSender(
      {
        config: () => this.webhook,
        peek: () => this.updates[0],
        ack: (update) => {
          if (this.updates[0] === update) this.updates.shift();
        },
        runReply: async (method, params) => void (await this.call(method, params)),
        signal: () => this.life.signal,
      },
      opts.webhookRetryMs ?? 50,
      opts.webhookTimeoutMs ?? 10_000,
    );
    this.registerHandlers();
  }

  // ---------------------------------------------------------------- lifecycle

  async start(port = 0): Promise<void> {
    if (this.server) throw new Error('BotApiEmulator already started');
    this.life = new AbortController();
    const server = createServer((req, res) => void this.onHttp(req, res));
    // Outlive the clients' keep-alive so a reused socket is never closed under an in-flight request.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.life.abort();
    this.poll?.wake();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Let woken long polls write their answer before cutting the remaining connections.
    await sleep(10);
    server.closeAllConnections();
    await closed;
  }

  get port(): number {
    if (!this.server) throw new Error('BotApiEmulator is not started');
    return (this.server.address() as AddressInfo).port;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---------------------------------------------------------------- transport

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const closed = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) closed.abort();
    });
    let outcome: Outcome;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
      if (!route) throw NOT_FOUND();
      if (route[1] !== this.token) throw UNAUTHORIZED();
      const params = await readParams(req, url);
      outcome = await this.call(route[2]!, params, closed.signal);
    } catch (err) {
      outcome = { ok: false, error: toApiError(err) };
    }
    if (outcome === 'hang') {
      await sleep(this.opts.hangMs, undefined, { signal: AbortSignal.any([closed.signal, this.life.signal]) }).catch(() => undefined);
      res.destroy();
      return;
    }
    writeJson(res, outcome.ok ? 200 : httpStatus(outcome.error.code), responseBody(outcome));
  }

  /** Runs one API method; `clientGone` aborts when the HTTP client disconnects. */
  private async call(method: string, body: Params, clientGone?: AbortSignal): Promise<Outcome> {
    this.emit('request', { method, body });
    const handler = this.handlers.get(method.toLowerCase());
    if (!handler) return this.failed(method, body, METHOD_NOT_FOUND());
    const fault = this.faults.take(handler.name);
    if (fault === 'timeout') return 'hang';
    if (fault) return this.failed(handler.name, body, faultError(fault));
    const delay = this.faults.takeDelay(handler.name);
    if (delay > 0) await sleep(delay, undefined, { signal: this.life.signal }).catch(() => undefined);
    const limiter = this.limiter?.appliesTo(handler.name) ? this.limiter : undefined;
    const chatId = looseChatId(body);
    const retryAfter = limiter?.retryAfter(chatId) ?? 0;
    if (retryAfter > 0) {
      this.stats.rateLimited++;
      return this.failed(handler.name, body, tooManyRequests(retryAfter));
    }
    try {
      const result = await handler.run(body, clientGone);
      limiter?.record(chatId);
      this.stats.sent[handler.name] = (this.stats.sent[handler.name] ?? 0) + 1;
      return result instanceof Described ? { ok: true, result: result.result, description: result.description } : { ok: true, result };
    } catch (err) {
      return this.failed(handler.name, body, toApiError(err));
    }
  }

  private failed(method: string, body: Params, error: ApiError): Outcome {
    this.stats.errors[method] = (this.stats.errors[method] ?? 0) + 1;
    this.recentErrors.push({ method, chat_id: body.chat_id, error_code: error.code, description: error.description });
    if (this.recentErrors.length > RECENT_ERRORS) this.recentErrors.shift();
    return { ok: false, error };
  }

  private registerHandlers(): void {
    const table: Record<string, Handler> = {
      getMe: () => this.botInfo,
      logOut: () => true,
      close: () => true,
      getUpdates: (p, clientGone) => this.getUpdates(p, clientGone),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => this.deleteWebhook(p),
      getWebhookInfo: () => this.getWebhookInfo(),
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editMessageText(p),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      deleteMessage: (p) => this.deleteMessage(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendChatAction: (p) => this.sendChatAction(p),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commandSets.get(commandKey(p))?.commands ?? [],
      deleteMyCommands: (p) => {
        this.commandSets.delete(commandKey(p));
        return true;
      },
      setChatMenuButton: () => true,
      getChatMenuButton: () => ({ type: 'default' }),
      setMyDescription: () => true,
      setMyShortDescription: () => true,
    };
    for (const [name, run] of Object.entries(table)) this.handlers.set(name.toLowerCase(), { name, run });
  }

  // ---------------------------------------------------------------- updates

  private async getUpdates(p: Params, clientGone?: AbortSignal): Promise<Update[]> {
    if (this.webhook) throw WEBHOOK_CONFLICT();
    this.poll?.wake(POLLING_CONFLICT());
    this.confirmUpdates(optInt(p, 'offset') ?? 0);
    const limit = Math.min(Math.max(optInt(p, 'limit') ?? 100, 1), 100);
    const timeout = Math.max(optInt(p, 'timeout') ?? 0, 0);
    if (this.updates.length === 0 && timeout > 0) {
      const signal = clientGone ? AbortSignal.any([clientGone, this.life.signal]) : this.life.signal;
      await this.waitForUpdate(timeout * 1000, signal);
    }
    return this.webhook ? [] : this.updates.slice(0, limit);
  }

  /** `offset` confirms every update below it; a negative offset keeps only the last -offset. */
  private confirmUpdates(offset: number): void {
    if (offset < 0) this.updates = this.updates.slice(offset);
    else if (offset > 0) {
      const keepFrom = this.updates.findIndex((u) => u.update_id >= offset);
      this.updates = keepFrom < 0 ? [] : this.updates.slice(keepFrom);
    }
    // Tests wait for an update to be confirmed, i.e. handled by the bot.
    this.store.notify();
  }

  /** Holds a long poll until an update arrives, it times out, the client leaves, or a newer poll takes over. */
  private waitForUpdate(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        wake: (error?: ApiError): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (this.poll === entry) this.poll = undefined;
          if (error) reject(error);
          else resolve();
        },
      };
      const onAbort = (): void => entry.wake();
      const timer = setTimeout(onAbort, ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.poll = entry;
      if (signal.aborted) onAbort();
    });
  }

  /** Queues any update for the bot, as if Telegram produced it. */
  injectUpdate<U extends UpdatePayload>(payload: U): U & { update_id: number } {
    const update = { update_id: ++this.lastUpdateId, ...payload };
    this.updates.push(update as Update);
    this.emit('update', update as Update);
    this.poll?.wake();
    if (this.webhook) this.webhookSender.kick();
    return update;
  }

  private setWebhook(p: Params): Described {
    const url = optString(p, 'url') ?? '';
    if (url === '') return this.deleteWebhook(p);
    if (!isHttpUrl(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = optString(p, 'secret_token');
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      throw badRequest('secret token contains unallowed characters');
    }
    if (optBool(p, 'drop_pending_updates')) this.updates = [];
    const alreadySet = this.webhook?.url === url;
    this.webhook = {
      url,
      secretToken,
      maxConnections: optInt(p, 'max_connections') ?? 40,
      allowedUpdates: optJson<string[]>(p, 'allowed_updates'),
    };
    this.poll?.wake();
    this.webhookSender.kick();
    return new Described(true, alreadySet ? 'Webhook is already set' : 'Webhook was set');
  }

  private deleteWebhook(p: Params): Described {
    if (optBool(p, 'drop_pending_updates')) this.updates = [];
    const had = this.webhook !== undefined;
    this.webhook = undefined;
    return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
  }

  private getWebhookInfo(): Record<string, unknown> {
    const hook = this.webhook;
    return {
      url: hook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.updates.length,
      ...(hook?.lastErrorDate && { last_error_date: hook.lastErrorDate, last_error_message: hook.lastErrorMessage }),
      ...(hook && { max_connections: hook.maxConnections, ip_address: '127.0.0.1' }),
      ...(hook?.allowedUpdates && { allowed_updates: hook.allowedUpdates }),
    };
  }

  // ---------------------------------------------------------------- messages

  private sendMessage(p: Params): Message {
    const chatId = requireChatId(p);
    const content = this.readContent(p);
    const replyTo = this.replyTarget(chatId, p);
    this.assertReachable(chatId);
    const date = unixNow();
    const message: StoredMessage = {
      message_id: this.store.nextMessageId(chatId),
      chat_id: chatId,
      ...content,
      link_preview_options: linkPreviewOptions(p),
      reply_to_message_id: replyTo,
      date,
      original: { ...content, date },
      edits: [],
      deleted: false,
    };
    this.store.addSent(message);
    this.emit('message', message, 'sent');
    return this.toApiMessage(message);
  }

  private readContent(p: Params): Content {
    const text = optString(p, 'text');
    const parse_mode = optString(p, 'parse_mode') || undefined;
    const formatted = formatMessageText(text, {
      parseMode: parse_mode,
      entities: optJson(p, 'entities'),
      maxLength: MAX_MESSAGE_LENGTH,
      strictAmpersand: this.opts.strictHtmlAmpersand,
    });
    return {
      text: text!,
      plainText: formatted.text,
      parse_mode,
      entities: formatted.entities,
      reply_markup: this.readReplyMarkup(p),
    };
  }

  private readReplyMarkup(p: Params): StoredMessage['reply_markup'] {
    const markup = optJson<unknown>(p, 'reply_markup', 'reply keyboard markup JSON object');
    return markup === undefined ? undefined : validateReplyMarkup(markup);
  }

  private replyTarget(chatId: number, p: Params): number | undefined {
    const params = optJson<ReplyParameters>(p, 'reply_parameters');
    const id = params?.message_id ?? optInt(p, 'reply_to_message_id');
    if (id === undefined) return undefined;
    // Replies into another chat are not modelled; they are sent as plain messages.
    if (params?.chat_id !== undefined && String(params.chat_id) !== String(chatId)) return undefined;
    if (this.store.sentMessage(chatId, id) || this.store.incomingMessage(chatId, id)) return id;
    if (params?.allow_sending_without_reply ?? optBool(p, 'allow_sending_without_reply')) return undefined;
    throw badRequest('message to be replied not found');
  }

  private editMessageText(p: Params): Message {
    const target = this.editTarget(p);
    return this.applyEdit(target, this.readContent(p), 'editMessageText');
  }

  private editMessageReplyMarkup(p: Params): Message {
    const target = this.editTarget(p);
    const { text, plainText, parse_mode, entities } = target;
    return this.applyEdit(
      target,
      { text, plainText, parse_mode, entities, reply_markup: this.readReplyMarkup(p) },
      'editMessageReplyMarkup',
    );
  }

  private editTarget(p: Params): StoredMessage {
    if (p.inline_message_id !== undefined) throw badRequest('inline messages are not supported by the emulator');
    const chatId = requireChatId(p);
    const messageId = requireMessageId(p);
    const message = this.store.sentMessage(chatId, messageId);
    if (!message || message.deleted) {
      throw badRequest(this.store.incomingMessage(chatId, messageId) ? "message can't be edited" : 'message to edit not found');
    }
    this.assertReachable(chatId);
    return message;
  }

  /** Like Telegram, an edit without `reply_markup` removes the inline keyboard. */
  private applyEdit(message: StoredMessage, content: Content, method: MessageEdit['method']): Message {
    if (sameContent(message, content)) throw badRequest(NOT_MODIFIED);
    const date = unixNow();
    Object.assign(message, content, { edit_date: date });
    message.edits.push({ ...content, date, method });
    this.store.notify();
    this.emit('message', message, 'edited');
    return this.toApiMessage(message);
  }

  private deleteMessage(p: Params): true {
    const chatId = requireChatId(p);
    const messageId = requireMessageId(p);
    const message = this.store.sentMessage(chatId, messageId);
    if (message && !message.deleted) {
      message.deleted = true;
      this.store.notify();
      this.emit('deleted', message);
      return true;
    }
    if (this.store.deleteIncoming(chatId, messageId)) return true;
    throw badRequest('message to delete not found');
  }

  private sendChatAction(p: Params): true {
    const chatId = requireChatId(p);
    const action = optString(p, 'action');
    if (!action || !CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
    this.assertReachable(chatId);
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const id = optString(p, 'callback_query_id') ?? '';
    const query = this.callbackQueries.get(id);
    if (!query || query.answered) throw badRequest(QUERY_INVALID);
    const text = optString(p, 'text');
    if (text !== undefined && text.length > MAX_CALLBACK_ANSWER_LENGTH) throw badRequest('MESSAGE_TOO_LONG');
    query.answered = true;
    const answer: CallbackAnswer = {
      callback_query_id: id,
      text,
      show_alert: optBool(p, 'show_alert'),
      url: optString(p, 'url'),
      cache_time: optInt(p, 'cache_time'),
      chat_id: query.chat_id,
      message_id: query.message_id,
      data: query.data,
    };
    this.callbackAnswers.push(answer);
    this.store.notify();
    this.emit('callbackAnswer', answer);
    return true;
  }

  private setMyCommands(p: Params): true {
    const commands = optJson<BotCommand[]>(p, 'commands', 'commands JSON array');
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
    validateCommands(commands);
    const scope = optJson<BotCommandScope>(p, 'scope') ?? { type: 'default' };
    const language_code = optString(p, 'language_code') ?? '';
    this.commandSets.set(commandKey(p), { scope, language_code, commands });
    return true;
  }

  private assertReachable(chatId: number): void {
    if (this.blocked.has(chatId)) throw blockedError(chatId);
  }

  private toApiMessage(message: StoredMessage, withReply = true): Message.TextMessage {
    const { id, is_bot, first_name, username } = this.botInfo;
    const replied =
      withReply && message.reply_to_message_id !== undefined
        ? this.repliedMessage(message.chat_id, message.reply_to_message_id)
        : undefined;
    const inlineMarkup = message.reply_markup && 'inline_keyboard' in message.reply_markup ? message.reply_markup : undefined;
    return {
      message_id: message.message_id,
      from: { id, is_bot, first_name, username },
      chat: this.store.chat(message.chat_id),
      date: message.date,
      ...(message.edit_date !== undefined && { edit_date: message.edit_date }),
      ...(replied && { reply_to_message: replied }),
      text: message.plainText,
      ...(message.entities.length > 0 && { entities: message.entities }),
      ...(message.link_preview_options && { link_preview_options: message.link_preview_options }),
      ...(inlineMarkup && { reply_markup: inlineMarkup }),
    } as Message.TextMessage;
  }

  private repliedMessage(chatId: number, messageId: number): Message.TextMessage | undefined {
    const own = this.store.sentMessage(chatId, messageId);
    if (own) return this.toApiMessage(own, false);
    return this.store.incomingMessage(chatId, messageId) as Message.TextMessage | undefined;
  }

  // ---------------------------------------------------------------- test helpers: users act

  /** A user sends `text`; commands get a `bot_command` entity like real clients produce. */
  sendText(from: TestUser, text: string, chat?: TestChat): Update.MessageUpdate<Message.TextMessage> {
    const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
    const entities = command ? [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] : undefined;
    const message = this.incomingMessage(from, chat, { text, ...(entities && { entities }) });
    return this.injectUpdate({ message } as UpdatePayload) as Update.MessageUpdate<Message.TextMessage>;
  }

  /** A user shares a contact, e.g. through a `request_contact` keyboard button. */
  sendContact(
    from: TestUser,
    contact: { phone_number: string; user_id?: number; first_name?: string; last_name?: string },
    chat?: TestChat,
  ): Update.MessageUpdate<Message.ContactMessage> {
    const message = this.incomingMessage(from, chat, {
      contact: { ...contact, first_name: contact.first_name ?? from.first_name ?? `User ${from.id}` },
    });
    return this.injectUpdate({ message } as UpdatePayload) as Update.MessageUpdate<Message.ContactMessage>;
  }

  /**
   * A user presses an inline button of a bot message; returns the callback query id.
   * Throws if the message has no such button, unless `force` (to simulate forged or stale data).
   */
  pressButton(from: TestUser, target: { chat_id: number; message_id: number }, data: string, opts: { force?: boolean } = {}): string {
    const message = this.store.sentMessage(target.chat_id, target.message_id);
    if (!message || message.deleted) throw new Error(`pressButton: no message ${target.message_id} in chat ${target.chat_id}`);
    if (!opts.force && !hasCallbackButton(message.reply_markup, data)) {
      throw new Error(
        `pressButton: message ${target.message_id} in chat ${target.chat_id} has no button with callback_data ` +
          `${JSON.stringify(data)}; it has ${JSON.stringify(callbackDataOf(message))}`,
      );
    }
    const id = String(4_000_000_000_000_000 + ++this.lastCallbackId);
    this.callbackQueries.set(id, { chat_id: target.chat_id, message_id: target.message_id, data, answered: false });
    this.injectUpdate({
      callback_query: {
        id,
        from: toUser(from),
        message: this.toApiMessage(message),
        chat_instance: String(1_000_000_000 + Math.abs(target.chat_id)),
        data,
      },
    } as UpdatePayload);
    return id;
  }

  private incomingMessage(from: TestUser, chat: TestChat | undefined, content: object): Message {
    const user = toUser(from);
    const chatObject: Chat =
      chat && chat.type !== 'private'
        ? ({ id: chat.id, type: chat.type, title: chat.title ?? `Group ${chat.id}` } as Chat)
        : { id: chat?.id ?? user.id, type: 'private', first_name: user.first_name, ...pick(user, 'last_name', 'username') };
    this.store.remember(chatObject);
    const message = {
      message_id: this.store.nextMessageId(chatObject.id),
      from: user,
      chat: chatObject,
      date: unixNow(),
      ...content,
    } as Message;
    this.store.addIncoming(message);
    return message;
  }

  // ---------------------------------------------------------------- test helpers: inspection

  /** The bot's messages to a chat, in send order (deleted ones included, flagged `deleted`). */
  messagesTo(chatId: number): StoredMessage[] {
    return [...this.store.sentTo(chatId)];
  }

  allMessages(): StoredMessage[] {
    return [...this.store.allSent()];
  }

  lastMessage(chatId: number): StoredMessage | undefined {
    return this.store.sentTo(chatId).at(-1);
  }

  /** Resolves once the bot has sent at least `count` messages to the chat. */
  waitForMessages(chatId: number, count: number, timeoutMs = 5000): Promise<StoredMessage[]> {
    return this.store.waitUntil(
      () => (this.store.sentTo(chatId).length >= count ? this.messagesTo(chatId) : undefined),
      timeoutMs,
      () => this.describeWait(`${count} message(s) to chat ${chatId}`, timeoutMs, chatId),
    );
  }

  /** Resolves with the first non-undefined value of `check`, re-evaluated whenever the bot acts. */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    return this.store.waitUntil(
      () => check() || undefined,
      timeoutMs,
      () => this.describeWait(what, timeoutMs),
    );
  }

  waitForCallbackAnswer(callbackQueryId: string, timeoutMs = 5000): Promise<CallbackAnswer> {
    return this.waitUntil(
      () => this.callbackAnswers.find((a) => a.callback_query_id === callbackQueryId),
      timeoutMs,
      `answerCallbackQuery for ${callbackQueryId}`,
    );
  }

  private describeWait(what: string, timeoutMs: number, chatId?: number): string {
    const lines = [`Timed out after ${timeoutMs} ms waiting for ${what}.`];
    if (chatId !== undefined) {
      const received = this.store.sentTo(chatId);
      lines.push(`Received ${received.length} message(s) to chat ${chatId}:`);
      received.forEach((m, i) =>
        lines.push(`  ${i + 1}. #${m.message_id}${m.deleted ? ' (deleted)' : ''}: ${JSON.stringify(m.plainText.slice(0, 200))}`),
      );
    }
    const errors = this.recentErrors.filter((e) => chatId === undefined || String(e.chat_id) === String(chatId));
    if (errors.length) lines.push('Recent failed API calls:', ...errors.map((e) => `  ${e.method} -> ${e.error_code} ${e.description}`));
    return lines.join('\n');
  }

  /** Commands registered for the default scope, keyed by language code ('' = all languages). */
  get commands(): CommandsByLanguage {
    const byLanguage: CommandsByLanguage = {};
    for (const set of this.commandSets.values()) if (set.scope.type === 'default') byLanguage[set.language_code] = set.commands;
    return byLanguage;
  }

  /** Pending (unconfirmed) updates, oldest first. */
  get pendingUpdates(): readonly Update[] {
    return this.updates;
  }

  // ---------------------------------------------------------------- test helpers: faults

  /** The next `n` calls of `method` ('*' = any) fail with `error`, or hang for `'timeout'`. */
  failNext(method: string, n: number, error: Fault): void {
    this.faults.failNext(method, n, error);
  }

  /** The next `n` calls of `method` ('*' = any) succeed, but answer only after `ms` (a slow API). */
  slowNext(method: string, n: number, ms: number): void {
    this.faults.slowNext(method, n, ms);
  }

  /** Each call of `method` fails with the given probability, drawn from a PRNG seeded by `seed`. */
  failRandom(method: string, probability: number, error: Fault, seed = 1): void {
    this.faults.failRandom(method, probability, error, seed);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Sends to the chat now answer 403, as when a user blocks the bot or a group kicks it. */
  blockChat(chatId: number): void {
    this.blocked.add(chatId);
  }

  unblockChat(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /** Forgets messages, updates, answers, commands, faults, blocks and stats; keeps the webhook and id counters. */
  clear(): void {
    this.store.clear();
    this.updates = [];
    this.callbackAnswers.length = 0;
    this.callbackQueries.clear();
    this.recentErrors.length = 0;
    this.commandSets.clear();
    this.faults.clear();
    this.blocked.clear();
    this.stats = { sent: {}, errors: {}, rateLimited: 0 };
    if (this.opts.rateLimit) this.limiter = new RateLimiter(this.opts.rateLimit);
  }
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(500, `Internal Server Error: ${message}`);
}

function faultError(fault: Exclude<Fault, 'timeout'>): ApiError {
  return new ApiError(fault.code, fault.description, fault.retry_after === undefined ? undefined : { retry_after: fault.retry_after });
}

function responseBody(outcome: Exclude<Outcome, 'hang'>): Record<string, unknown> {
  if (outcome.ok) return { ok: true, result: outcome.result, ...(outcome.description && { description: outcome.description }) };
  const { code, description, parameters } = outcome.error;
  return { ok: false, error_code: code, description, ...(parameters && { parameters }) };
}

function toUser(from: TestUser): User {
  return {
    id: from.id,
    is_bot: false,
    first_name: from.first_name ?? `User ${from.id}`,
    ...pick(from, 'last_name', 'username', 'language_code'),
  };
}

function pick<T extends object, K extends keyof T>(source: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function sameContent(message: StoredMessage, next: Content): boolean {
  return (
    message.plainText === next.plainText &&
    JSON.stringify(message.entities) === JSON.stringify(next.entities) &&
    JSON.stringify(message.reply_markup ?? null) === JSON.stringify(next.reply_markup ?? null)
  );
}

function linkPreviewOptions(p: Params): LinkPreviewOptions | undefined {
  const options = optJson<LinkPreviewOptions>(p, 'link_preview_options');
  if (options) return options;
  return optBool(p, 'disable_web_page_preview') ? { is_disabled: true } : undefined;
}

function callbackDataOf(message: StoredMessage): string[] {
  const markup = message.reply_markup;
  if (!markup || !('inline_keyboard' in markup)) return [];
  return markup.inline_keyboard.flat().flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
}

function commandKey(p: Params): string {
  const scope = optJson<Record<string, unknown>>(p, 'scope') ?? { type: 'default' };
  const language = optString(p, 'language_code') ?? '';
  return JSON.stringify([scope.type, String(scope.chat_id ?? ''), String(scope.user_id ?? ''), language]);
}

function validateCommands(commands: unknown[]): void {
  if (commands.length > 100) throw badRequest('too many commands specified');
  for (const c of commands) {
    const { command, description } = (c ?? {}) as Partial<BotCommand>;
    if (typeof command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof description !== 'string' || !description.trim() || description.length > 256) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
  }
}

function isHttpUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}
