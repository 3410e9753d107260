import { timingSafeEqual } from 'node:crypto';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Router } from '../../../commands/router.js';
import type { OutgoingMessage, Reply } from '../../core/messages.js';
import type { Services } from '../../core/services.js';
import { errorKind, type Inbox, type ReceivedUpdate } from '../../delivery/inbox.js';
import { t } from '../../i18n.js';
import type { ChannelCapabilities } from '../capabilities.js';
import type { ChannelAdapter, ChannelWebhook } from '../registry.js';
import { telegramCapabilities } from './capabilities.js';
import { fitPlain } from './fit.js';
import { telegramExtra, telegramText } from './markup.js';
import { normalizeUpdate } from './normalize.js';
import { TelegramSender } from './sender.js';
import { telegramInviteLink } from './identity.js';

export { telegramInviteLink } from './identity.js';

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  webhook?: { url: string; secret: string };
  sendTimeoutMs?: number;
  /** SEND_RATE: messages per second over all chats. */
  sendRate?: number;
}

/** The Telegram adapter: updates in through telegraf, replies out through Reply. */
export class TelegramChannel implements ChannelAdapter {
  readonly name = 'telegram' as const;
  readonly capabilities: ChannelCapabilities;
  readonly bot: Telegraf;
  readonly sender: TelegramSender;
  readonly webhook?: ChannelWebhook;
  private username = '';
  private polling?: Promise<void>;
  private stopping = false;
  /** Ends a running long poll or backoff wait at shutdown. */
  private readonly abort = new AbortController();
  /** Why updates are not being received, or null while polling (or on a webhook). */
  private deafReason: string | null = null;

  constructor(
    private readonly opts: TelegramOptions,
    private readonly router: Router,
    private readonly svc: () => Services,
    private readonly inbox: Inbox,
  ) {
    this.bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot }, handlerTimeout: 60_000 });
    this.sender = new TelegramSender(this.bot.telegram, opts.sendTimeoutMs);
    const pacing = { ...telegramCapabilities.pacing, ...(opts.sendRate ? { rate: opts.sendRate } : {}) };
    this.capabilities = { ...telegramCapabilities, pacing };
    if (opts.webhook) this.webhook = this.webhookRoute(opts.webhook);
    this.bot.use(async (ctx) => {
      const msg = normalizeUpdate(ctx.update as Update);
      if (!msg) return;
      const chatId = msg.chat.id;
      const isButton = msg.kind === 'button';
      let answered = false;
      const fitted = (out: OutgoingMessage): string => {
        const text = telegramText(out);
        // A view that long is worth shortening at its source; this only keeps it from being refused.
        if (text !== out.text)
          this.svc().log.warn({ chatId, kind: msg.kind, length: out.text.length }, 'reply clipped to the message limit');
        return text;
      };
      const reply: Reply = {
        send: async (out: OutgoingMessage) =>
          String((await ctx.telegram.sendMessage(chatId, fitted(out), telegramExtra(out) as never)).message_id),
        edit: async (out: OutgoingMessage, ref?: string) => {
          const id = Number(ref ?? msg.messageRef);
          await ctx.telegram.editMessageText(chatId, id, undefined, fitted(out), telegramExtra(out, true) as never).catch((err: Error) => {
            // Pressing a button twice edits to the same text; Telegram refuses that, harmlessly.
            if (!/message is not modified/.test(err.message)) throw err;
          });
        },
        notify: async (text?: string) => {
          if (!isButton || answered) return;
          answered = true;
          await ctx.answerCbQuery(text === undefined ? undefined : fitPlain(text, telegramCapabilities.maxPopupLength));
        },
      };
      await this.router.handle(this.svc(), msg, reply);
      if (isButton && !answered) await ctx.answerCbQuery().catch(() => undefined);
    });
    // A failure goes back to the inbox, which retries it and logs it by update id and error kind.
    this.bot.catch((err) => {
      throw err;
    });
    this.inbox.registerHandler(this.name, (payload) => this.bot.handleUpdate(payload as Update));
  }

  /** Who the bot is (username for invite links). */
  async identify(): Promise<string> {
    const me = await this.bot.telegram.getMe();
    this.bot.botInfo = me;
    this.username = me.username;
    return me.username;
  }

  inviteLink(token: string): string {
    return telegramInviteLink(this.username, token);
  }

  /** Telegram posts to WEBHOOK_URL's path with the secret given to setWebhook in this header. */
  private webhookRoute(hook: { url: string; secret: string }): ChannelWebhook {
    const expected = Buffer.from(hook.secret);
    return {
      path: new URL(hook.url).pathname,
      secretHeader: 'x-telegram-bot-api-secret-token',
      verify: (secret) => {
        const given = Buffer.from(secret ?? '');
        return given.length === expected.length && timingSafeEqual(given, expected);
      },
      handle: (body) => this.handleWebhook(body as Update),
    };
  }

  /** The command menu: Vietnamese by default and for vi clients, English for en clients. */
  async registerCommands(): Promise<void> {
    const menu = [...this.router.commands.values()].filter((c) => c.menu);
    const list = (lang: 'vi' | 'en') =>
      menu.map((c) => ({ command: c.name, description: t(lang)(`${c.menu!.ns}:commands.${c.name}`).slice(0, 256) }));
    await this.bot.telegram.setMyCommands(list('vi'));
    await this.bot.telegram.setMyCommands(list('vi'), { language_code: 'vi' });
    await this.bot.telegram.setMyCommands(list('en'), { language_code: 'en' });
  }

  async start(): Promise<void> {
    if (this.opts.webhook) {
      await this.bot.telegram.setWebhook(this.opts.webhook.url, { secret_token: this.opts.webhook.secret });
      return;
    }
    await this.bot.telegram.deleteWebhook();
    this.polling = this.poll();
  }

  /**
   * Long polling, written here rather than telegraf's `launch()`: telegraf moves its offset past a
   * batch once the handlers have returned, whatever happened, and gives up for good on 401 (token
   * revoked), 409 (another poller, or a webhook) and errors it does not expect, leaving the bot
   * "healthy" but deaf. Here each batch is stored in the inbox before the offset moves past it (if
   * the database cannot take it, the store is retried with backoff and nothing is acknowledged), and
   * every failed poll is recorded for /healthz and retried with backoff: 1 s doubling to 5 min for
   * 401/409, to 30 s for anything else.
   */
  private async poll(): Promise<void> {
    let offset = 0;
    let failures = 0;
    while (!this.stopping) {
      let updates: Update[];
      try {
        updates = await this.bot.telegram.callApi('getUpdates', { timeout: 50, offset }, { signal: this.abort.signal as never });
      } catch (error) {
        if (this.stopping) return;
        const err = error as Error & { code?: number; description?: string; parameters?: { retry_after?: number } };
        const code = err instanceof TelegramError ? err.code : undefined;
        this.deafReason = code ? `${code} ${err.description ?? ''}`.trim() : `${err.name}: ${err.message}`;
        failures++;
        const cap = code === 401 || code === 409 ? 300_000 : 30_000;
        const delay = Math.max(Math.min(cap, 1000 * 2 ** Math.min(failures - 1, 9)), (err.parameters?.retry_after ?? 0) * 1000);
        this.svc().log.error({ err: { message: this.deafReason }, retryInMs: delay }, 'telegram polling stopped');
        await this.sleep(delay);
        continue;
      }
      failures = 0;
      this.received();
      if (!updates.length) continue;
      if (!(await this.storeBatch(updates))) return;
      offset = updates[updates.length - 1]!.update_id + 1;
    }
  }

  /** Stores a batch in the inbox, retrying with backoff (250 ms doubling to 4 s) until it is stored; false if stopped first. */
  private async storeBatch(updates: Update[]): Promise<boolean> {
    for (let n = 0; !this.stopping; n++) {
      try {
        await this.inbox.store(this.name, updates.map(received));
        if (n) this.svc().log.info({ updates: updates.length, tries: n + 1 }, 'telegram updates stored after the database came back');
        return true;
      } catch (err) {
        if (n === 0)
          this.svc().log.warn(
            { err: { kind: errorKind(err) }, updates: updates.map((u) => u.update_id) },
            'could not store telegram updates; not acknowledging them, trying again',
          );
        await this.sleep(Math.min(4000, 250 * 2 ** Math.min(n, 4)));
      }
    }
    return false;
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private received(): void {
    this.deafReason = null;
  }

  /** Whether updates are coming in: for /healthz. */
  health(): { ok: boolean; reason?: string } {
    return this.deafReason ? { ok: false, reason: this.deafReason } : { ok: true };
  }

  /** Stores one webhook update; the caller has checked the secret header and answers 200 once this resolves. */
  async handleWebhook(update: Update): Promise<void> {
    // Not an update (nothing to store or handle): acknowledged so that it is not posted again.
    if (typeof update?.update_id !== 'number') return;
    await this.inbox.store(this.name, [received(update)]);
    this.received();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.polling?.catch(() => undefined);
  }
}

/** An update as the inbox stores it; one chat's updates are handled in order (the sender's when there is no chat). */
function received(update: Update): ReceivedUpdate {
  const body = Object.values(update).find((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) ?? {};
  const chat = (body.chat ?? (body.message as { chat?: unknown } | undefined)?.chat) as { id?: number } | undefined;
  const from = body.from as { id?: number } | undefined;
  const chatKey = chat?.id !== undefined ? String(chat.id) : from?.id !== undefined ? `user:${from.id}` : `update:${update.update_id}`;
  return { updateId: String(update.update_id), chatKey, payload: update };
}
