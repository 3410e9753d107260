import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ZALO_MAX_TEXT_LENGTH,
  type ZaloBotInfo,
  type ZaloChat,
  type ZaloEventName,
  type ZaloMessage,
  type ZaloSentMessage,
  type ZaloUpdate,
  type ZaloWebhookInfo,
} from '../../channels/zalo/types.js';
import { ApiError } from '../errors.js';
import { optInt, optString, type Params } from '../params.js';
import { ZaloFaults } from './faults.js';
import { readZaloParams, writeGatewayError, writeJson } from './http.js';
import { SendQuota } from './quota.js';
import { ZaloStore } from './store.js';
import type {
  ZaloEmulatorEvents,
  ZaloEmulatorOptions,
  ZaloEmulatorStats,
  ZaloFailedCall,
  ZaloFault,
  ZaloQuota,
  ZaloStoredMessage,
  ZaloTestGroup,
  ZaloTestUser,
} from './types.js';
import { type ZaloWebhookConfig, ZaloWebhookSender } from './webhook.js';

export * from './types.js';

/** sendChatAction answers `{"ok":true}` with no result, as the docs show. */
const NO_RESULT = Symbol('no result');
type Handler = (params: Params, clientGone: AbortSignal) => unknown;
type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiError } | { fault: 'drop' | 'timeout' | { httpStatus: number } };

const RECENT_ERRORS = 50;
const MAX_POLL_TIMEOUT_SEC = 60;
const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendSticker']);
const CHAT_ACTIONS = new Set(['typing', 'upload_photo']);

// The platform's error codes (docs): 400 bad request, 401 unauthorized, 403 "Internal server error",
// 404 not found, 408 request timeout, 429 "Quota exceeded" (no retry_after). Descriptions past
// "Unauthorized" and "Quota exceeded" are not published; the ones below are the emulator's own.
const badRequest = (detail: string): ApiError => new ApiError(400, `Bad Request: ${detail}`);
const UNAUTHORIZED = (): ApiError => new ApiError(401, 'Unauthorized');
const NOT_FOUND = (what: string): ApiError => new ApiError(404, `Not Found: ${what}`);
const EMPTY_POLL = (): ApiError => new ApiError(408, 'Request timeout');
const QUOTA_EXCEEDED = (): ApiError => new ApiError(429, 'Quota exceeded');
/**
 * What a chat whose person blocked the bot answers is not documented, and 403 is documented only as
 * "Internal server error". The emulator answers 403 with a description that names the block, so a
 * client can tell "this person cannot be reached" (stop sending) from a server fault (try again);
 * the Zalo client classifies 403 by its description for that reason.
 */
export const BLOCKED_DESCRIPTION = 'Forbidden: the user has blocked the bot';
const BLOCKED = (): ApiError => new ApiError(403, BLOCKED_DESCRIPTION);
/** The platform refuses polling while a webhook is set; its code for that is not published. */
const WEBHOOK_ACTIVE = (): ApiError => badRequest('webhook is active, call deleteWebhook before getUpdates');

/** 20 hex characters, the shape of Zalo's user, chat and message ids. */
export const zaloHexId = (): string => randomBytes(10).toString('hex');

/**
 * A local, in-memory Zalo Bot API server for tests and the sandbox. It speaks the platform's HTTP
 * protocol (`/bot<token>/<method>`, GET or POST, errors as HTTP 200 `{ok:false, error_code,
 * description}`), so the Zalo client runs against it unchanged.
 */
export class ZaloEmulator extends EventEmitter<ZaloEmulatorEvents> {
  readonly token: string;
  readonly botInfo: ZaloBotInfo;
  /** The latest failed calls (newest last), handy when a wait times out. */
  readonly recentErrors: ZaloFailedCall[] = [];
  stats: ZaloEmulatorStats = { sent: {}, errors: {}, quotaExceeded: 0, webhookFailures: 0 };

  private readonly hangMs: number;
  private readonly handlers = new Map<string, { name: string; run: Handler }>();
  private readonly store = new ZaloStore();
  private readonly faults = new ZaloFaults();
  private quota: SendQuota | undefined;
  private readonly blocked = new Set<string>();
  private updates: ZaloUpdate[] = [];
  /** Long polls waiting for an update, oldest first. */
  private readonly polls = new Set<() => void>();
  private webhook: ZaloWebhookConfig | undefined;
  private readonly webhookSender: ZaloWebhookSender;
  private server: Server | undefined;
  private life = new AbortController();

  constructor(opts: ZaloEmulatorOptions = {}) {
    super();
    this.token = opts.token ?? '1234567890:ZALO-TEST';
    this.hangMs = opts.hangMs ?? 30_000;
    this.botInfo = {
      id: this.token.split(':')[0] || '1234567890',
      account_name: opts.accountName ?? 'bot.CapuyTest',
      account_type: 'BASIC',
      can_join_groups: opts.canJoinGroups ?? false,
    };
    this.setQuota(opts.quota);
    this.webhookSender = new ZaloWebhookSender(
      {
        config: () => this.webhook,
        peek: () => this.updates[0],
        ack: (update) => {
          if (this.updates[0] === update) this.updates.shift();
          this.store.notify();
        },
        failed: () => void this.stats.webhookFailures++,
        signal: () => this.life.signal,
      },
      opts.webhookRetryMs ?? 50,
      opts.webhookTimeoutMs ?? 10_000,
    );
    this.registerHandlers();
  }

  // ---------------------------------------------------------------- lifecycle

  async start(port = 0): Promise<void> {
    if (this.server) throw new Error('ZaloEmulator already started');
    this.life = new AbortController();
    const server = createServer((req, res) => void this.onHttp(req, res));
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
    this.wakePolls();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await sleep(10);
    server.closeAllConnections();
    await closed;
  }

  get port(): number {
    if (!this.server) throw new Error('ZaloEmulator is not started');
    return (this.server.address() as AddressInfo).port;
  }

  /** What the client takes as ZALO_API_ROOT. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---------------------------------------------------------------- transport

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    let outcome: Outcome;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
      if (!route) throw NOT_FOUND('no such path');
      if (route[1] !== this.token) throw UNAUTHORIZED();
      const params = await readZaloParams(req, url);
      outcome = await this.call(route[2]!, params, clientGone.signal);
    } catch (err) {
      outcome = { ok: false, error: toApiError(err) };
    }
    if ('fault' in outcome) {
      const fault = outcome.fault;
      if (fault === 'timeout') {
        await sleep(this.hangMs, undefined, { signal: AbortSignal.any([clientGone.signal, this.life.signal]) }).catch(() => undefined);
      }
      if (typeof fault === 'object') writeGatewayError(res, fault.httpStatus);
      else res.destroy();
      return;
    }
    // Always HTTP 200: the platform reports errors in the body only.
    writeJson(res, 200, outcome.ok ? okBody(outcome.result) : errorBody(outcome.error));
  }

  private async call(method: string, body: Params, clientGone: AbortSignal): Promise<Outcome> {
    this.emit('request', { method, body });
    const handler = this.handlers.get(method.toLowerCase());
    if (!handler) return this.failed(method, body, NOT_FOUND('method not found'));
    const fault = this.faults.take(handler.name);
    if (fault !== undefined) {
      const injected = await this.injected(handler.name, body, fault);
      if (injected) return injected;
    }
    const counted = SEND_METHODS.has(handler.name) ? this.quota : undefined;
    try {
      if (counted?.full()) {
        this.stats.quotaExceeded++;
        throw QUOTA_EXCEEDED();
      }
      const result = await handler.run(body, clientGone);
      counted?.record();
      this.stats.sent[handler.name] = (this.stats.sent[handler.name] ?? 0) + 1;
      return { ok: true, result };
    } catch (err) {
      return this.failed(handler.name, body, toApiError(err));
    }
  }

  /** The outcome of an injected fault, or undefined when the call goes on (after a slow answer's delay). */
  private async injected(method: string, body: Params, fault: ZaloFault): Promise<Outcome | undefined> {
    if (fault === 'drop' || fault === 'timeout') return { fault };
    if ('httpStatus' in fault) return { fault };
    if ('delayMs' in fault) {
      await sleep(fault.delayMs, undefined, { signal: this.life.signal }).catch(() => undefined);
      return undefined;
    }
    return this.failed(method, body, new ApiError(fault.code, fault.description));
  }

  private failed(method: string, body: Params, error: ApiError): Outcome {
    if (error.code !== 408) {
      this.stats.errors[method] = (this.stats.errors[method] ?? 0) + 1;
      this.recentErrors.push({ method, chat_id: body.chat_id, error_code: error.code, description: error.description });
      if (this.recentErrors.length > RECENT_ERRORS) this.recentErrors.shift();
    }
    return { ok: false, error };
  }

  private registerHandlers(): void {
    const table: Record<string, Handler> = {
      getMe: () => this.botInfo,
      getUpdates: (p, clientGone) => this.getUpdates(p, clientGone),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: () => this.deleteWebhook(),
      getWebhookInfo: (): ZaloWebhookInfo => ({ url: this.webhook?.url ?? '', updated_at: this.webhook?.updatedAt ?? 0 }),
      sendMessage: (p) => this.sendMessage(p),
      sendPhoto: (p) => this.sendPhoto(p),
      sendSticker: (p) => this.sendSticker(p),
      sendChatAction: (p) => this.sendChatAction(p),
    };
    for (const [name, run] of Object.entries(table)) this.handlers.set(name.toLowerCase(), { name, run });
  }

  // ---------------------------------------------------------------- updates

  /**
   * One update per call, oldest first, taken off the queue as it is answered (there is no offset to
   * confirm it with). Nothing within `timeout` seconds (default 30): `ok:false` with 408.
   */
  private async getUpdates(p: Params, clientGone: AbortSignal): Promise<ZaloUpdate> {
    if (this.webhook) throw WEBHOOK_ACTIVE();
    const timeoutSec = Math.min(Math.max(optInt(p, 'timeout') ?? 30, 0), MAX_POLL_TIMEOUT_SEC);
    const deadline = Date.now() + timeoutSec * 1000;
    const signal = AbortSignal.any([clientGone, this.life.signal]);
    for (;;) {
      if (this.webhook) throw WEBHOOK_ACTIVE();
      // A client that left gets nothing, so the update stays queued for the next poll.
      if (signal.aborted) throw EMPTY_POLL();
      const update = this.updates.shift();
      if (update) {
        this.store.notify();
        return update;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw EMPTY_POLL();
      await this.nextUpdate(left, signal);
    }
  }

  private nextUpdate(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        this.polls.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake, { once: true });
      this.polls.add(wake);
      if (signal.aborted) wake();
    });
  }

  /** Wakes the oldest waiting poll (or all, e.g. on stop or when a webhook is set). */
  private wakePolls(all = true): void {
    for (const wake of [...this.polls]) {
      wake();
      if (!all) return;
    }
  }

  private setWebhook(p: Params): ZaloWebhookInfo {
    const url = optString(p, 'url') ?? '';
    // The platform wants a public HTTPS url; the emulator also takes http:// so tests can listen locally.
    if (!isHttpUrl(url)) throw badRequest('url must be an HTTPS URL');
    const secretToken = optString(p, 'secret_token') ?? '';
    if (secretToken.length < 8 || secretToken.length > 256) throw badRequest('secret_token must be 8 to 256 characters');
    this.webhook = { url, secretToken, updatedAt: Date.now() };
    this.wakePolls();
    this.webhookSender.kick();
    return { url, updated_at: this.webhook.updatedAt };
  }

  private deleteWebhook(): ZaloWebhookInfo {
    this.webhook = undefined;
    return { url: '', updated_at: Date.now() };
  }

  // ---------------------------------------------------------------- sending

  private sendMessage(p: Params): ZaloSentMessage {
    const chatId = this.reachableChat(p);
    const text = optString(p, 'text') ?? '';
    checkText(text, 'text', true);
    return this.recordSent(chatId, { kind: 'text', text });
  }

  private sendPhoto(p: Params): ZaloSentMessage {
    const chatId = this.reachableChat(p);
    const photo = optString(p, 'photo') ?? '';
    if (!isHttpUrl(photo)) throw badRequest('photo must be an image URL');
    const caption = optString(p, 'caption') ?? '';
    checkText(caption, 'caption', false);
    return this.recordSent(chatId, { kind: 'photo', text: caption, photo });
  }

  private sendSticker(p: Params): ZaloSentMessage {
    const chatId = this.reachableChat(p);
    const sticker = optString(p, 'sticker') ?? '';
    if (!sticker) throw badRequest('sticker is required');
    return this.recordSent(chatId, { kind: 'sticker', text: '', sticker });
  }

  private sendChatAction(p: Params): typeof NO_RESULT {
    this.reachableChat(p);
    const action = optString(p, 'action') ?? '';
    if (!CHAT_ACTIONS.has(action)) throw badRequest('action must be typing or upload_photo');
    return NO_RESULT;
  }

  /** `chat_id` of a chat someone wrote from (404 otherwise) whose person has not blocked the bot (403). */
  private reachableChat(p: Params): string {
    const chatId = optString(p, 'chat_id') ?? '';
    if (!chatId) throw badRequest('chat_id is required');
    if (!this.store.chat(chatId)) throw NOT_FOUND('chat not found');
    if (this.blocked.has(chatId)) throw BLOCKED();
    return chatId;
  }

  private recordSent(chatId: string, content: Pick<ZaloStoredMessage, 'kind' | 'text' | 'photo' | 'sticker'>): ZaloSentMessage {
    const message: ZaloStoredMessage = { message_id: zaloHexId(), chat_id: chatId, date: Date.now(), ...content };
    this.store.addSent(message);
    this.emit('message', message);
    return { message_id: message.message_id, date: message.date };
  }

  // ---------------------------------------------------------------- test helpers: people act

  /** A new person with a Zalo-shaped id (20 hex characters). */
  newUser(displayName = 'Người dùng Zalo'): ZaloTestUser {
    return { id: zaloHexId(), display_name: displayName };
  }

  /** A person sends `text` to the bot (privately, or in `group` when the bot may join groups). */
  userSends(user: ZaloTestUser, text: string, opts: { group?: ZaloTestGroup } = {}): ZaloUpdate {
    return this.incoming('message.text.received', user, { text }, opts.group);
  }

  /** A person sends a photo; the bot gets its URL and caption. */
  userSendsImage(user: ZaloTestUser, photoUrl = 'https://example.invalid/photo.jpg', caption?: string): ZaloUpdate {
    return this.incoming('message.image.received', user, { photo_url: photoUrl, ...(caption !== undefined && { caption }) });
  }

  userSendsSticker(user: ZaloTestUser, sticker = zaloHexId()): ZaloUpdate {
    return this.incoming('message.sticker.received', user, { sticker });
  }

  /** A link, or anything from a "protected" person: the event comes without content. */
  userSendsUnsupported(user: ZaloTestUser): ZaloUpdate {
    return this.incoming('message.unsupported.received', user, {});
  }

  /** Queues an update that was delivered already, once more (why clients deduplicate on message_id). */
  redeliver(update: ZaloUpdate): void {
    this.enqueue(update);
  }

  private incoming(event: ZaloEventName, user: ZaloTestUser, content: Partial<ZaloMessage>, group?: ZaloTestGroup): ZaloUpdate {
    if (group && !this.botInfo.can_join_groups) {
      throw new Error('ZaloEmulator: this bot cannot join groups (construct it with canJoinGroups: true)');
    }
    const chat: ZaloChat = group ? { id: group.id, chat_type: 'GROUP' } : { id: user.id, chat_type: 'PRIVATE' };
    this.store.remember(chat);
    const update: ZaloUpdate = {
      event_name: event,
      message: {
        from: { id: user.id, display_name: user.display_name, is_bot: false },
        chat,
        message_id: zaloHexId(),
        date: Date.now(),
        ...content,
      },
    };
    this.enqueue(update);
    return update;
  }

  private enqueue(update: ZaloUpdate): void {
    this.updates.push(update);
    this.emit('update', update);
    this.wakePolls(false);
    if (this.webhook) this.webhookSender.kick();
  }

  // ---------------------------------------------------------------- test helpers: inspection

  /** The bot's messages to a chat, in send order. */
  messagesTo(chatId: string): ZaloStoredMessage[] {
    return [...this.store.sentTo(chatId)];
  }

  allMessages(): ZaloStoredMessage[] {
    return [...this.store.allSent()];
  }

  lastMessage(chatId: string): ZaloStoredMessage | undefined {
    return this.store.sentTo(chatId).at(-1);
  }

  /** Resolves once the bot has sent at least `count` messages to the chat. */
  waitForMessages(chatId: string, count: number, timeoutMs = 5000): Promise<ZaloStoredMessage[]> {
    return this.store.waitUntil(
      () => (this.store.sentTo(chatId).length >= count ? this.messagesTo(chatId) : undefined),
      timeoutMs,
      () => this.describeWait(`${count} message(s) to chat ${chatId}`, timeoutMs, chatId),
    );
  }

  /** Resolves with the first truthy value of `check`, re-evaluated whenever the bot sends or an update is taken. */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    return this.store.waitUntil(
      () => check() || undefined,
      timeoutMs,
      () => this.describeWait(what, timeoutMs),
    );
  }

  /** Updates not yet taken by a poll or acknowledged by the webhook, oldest first. */
  get pendingUpdates(): readonly ZaloUpdate[] {
    return this.updates;
  }

  get webhookUrl(): string | undefined {
    return this.webhook?.url;
  }

  private describeWait(what: string, timeoutMs: number, chatId?: string): string {
    const lines = [`Timed out after ${timeoutMs} ms waiting for ${what}.`];
    if (chatId !== undefined) {
      const received = this.store.sentTo(chatId);
      lines.push(`Received ${received.length} message(s) to chat ${chatId}:`);
      received.forEach((m, i) => lines.push(`  ${i + 1}. ${JSON.stringify(m.text.slice(0, 200))}`));
    }
    const errors = this.recentErrors.filter((e) => chatId === undefined || String(e.chat_id) === chatId);
    if (errors.length) lines.push('Recent failed API calls:', ...errors.map((e) => `  ${e.method} -> ${e.error_code} ${e.description}`));
    return lines.join('\n');
  }

  // ---------------------------------------------------------------- test helpers: faults, quota, blocks

  /** The next `n` calls of `method` ('*' = any) fail with `fault`. */
  failNext(method: string, n: number, fault: ZaloFault): void {
    this.faults.failNext(method, n, fault);
  }

  /** Each call of `method` fails with the given probability, drawn from a PRNG seeded by `seed`. */
  failRandom(method: string, probability: number, fault: ZaloFault, seed = 1): void {
    this.faults.failRandom(method, probability, fault, seed);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** At most `quota.sends` sends (sendMessage, sendPhoto, sendSticker) per `quota.windowMs`, then 429; undefined lifts it. */
  setQuota(quota: ZaloQuota | undefined): void {
    this.quota = quota ? new SendQuota(quota) : undefined;
  }

  /** Sends to this person's chat now fail (see BLOCKED_DESCRIPTION), as when they block the bot. */
  blockUser(userId: string): void {
    this.blocked.add(userId);
  }

  unblockUser(userId: string): void {
    this.blocked.delete(userId);
  }

  /** Forgets messages, updates, faults, blocks and stats; keeps the webhook, the quota and the known chats. */
  clear(): void {
    this.store.clear();
    this.updates = [];
    this.recentErrors.length = 0;
    this.faults.clear();
    this.blocked.clear();
    this.stats = { sent: {}, errors: {}, quotaExceeded: 0, webhookFailures: 0 };
  }
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(500, 'Internal server error');
}

function okBody(result: unknown): Record<string, unknown> {
  return result === NO_RESULT ? { ok: true } : { ok: true, result };
}

function errorBody(error: ApiError): Record<string, unknown> {
  return { ok: false, error_code: error.code, description: error.description };
}

/** 1 (when required) to 2000 characters, counted in UTF-16 code units: how Zalo counts is not published, this is the stricter count. */
function checkText(text: string, name: string, required: boolean): void {
  if (required && text.length === 0) throw badRequest(`${name} is required`);
  if (text.length > ZALO_MAX_TEXT_LENGTH) throw badRequest(`${name} must be at most ${ZALO_MAX_TEXT_LENGTH} characters`);
}

function isHttpUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}
