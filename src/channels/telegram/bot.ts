import { timingSafeEqual } from 'node:crypto';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Router } from '../../../commands/router.js';
import type { OutgoingMessage, Reply } from '../../core/messages.js';
import type { Services } from '../../core/services.js';
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
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  /** Why updates are not being received, or null while polling (or on a webhook). */
  private deafReason: string | null = null;

  constructor(
    private readonly opts: TelegramOptions,
    private readonly router: Router,
    private readonly svc: () => Services,
  ) {
    this.bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot }, handlerTimeout: 60_000 });
    this.sender = new TelegramSender(this.bot.telegram, opts.sendTimeoutMs);
    const pacing = { ...telegramCapabilities.pacing, ...(opts.sendRate ? { rate: opts.sendRate } : {}) };
    this.capabilities = { ...telegramCapabilities, pacing };
    if (opts.webhook) this.webhook = this.webhookRoute(opts.webhook);
    // Telegraf says nothing when a poll succeeds; an answered getUpdates is what "receiving" means.
    const callApi = this.bot.telegram.callApi.bind(this.bot.telegram);
    this.bot.telegram.callApi = (async (...args: Parameters<typeof callApi>) => {
      const res = await callApi(...args);
      if (args[0] === 'getUpdates') this.received();
      return res;
    }) as typeof callApi;
    this.bot.use(async (ctx) => {
      this.received();
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
    // The id and type only: the update itself holds names, phone numbers and texts.
    this.bot.catch((err, ctx) =>
      this.svc().log.error({ err, update: { updateId: String(ctx.update.update_id), type: ctx.updateType } }, 'telegram update failed'),
    );
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
    this.poll();
  }

  /**
   * Long polling. Telegraf gives up for good on 401 (token revoked), 409 (another poller, or a
   * webhook) and errors it does not expect; then the bot would sit "healthy" but deaf. So a stop is
   * recorded for /healthz and polling starts again with backoff (1 s doubling to 5 min).
   */
  private poll(): void {
    const run = this.bot.launch({ dropPendingUpdates: false });
    this.polling = run;
    // launch() resolves only when polling ends; the first answer of getUpdates means it works.
    void run.then(
      () => undefined,
      (err: Error & { response?: { error_code?: number; description?: string } }) => {
        if (this.stopping) return;
        const code = err.response?.error_code;
        this.deafReason = code ? `${code} ${err.response?.description ?? ''}`.trim() : err.message;
        this.failures++;
        const delay = Math.min(300_000, 1000 * 2 ** Math.min(this.failures - 1, 9));
        this.svc().log.error({ err: { message: this.deafReason }, retryInMs: delay }, 'telegram polling stopped');
        this.retryTimer = setTimeout(() => {
          if (!this.stopping) this.poll();
        }, delay);
      },
    );
  }

  private received(): void {
    this.deafReason = null;
    this.failures = 0;
  }

  /** Whether updates are coming in: for /healthz. */
  health(): { ok: boolean; reason?: string } {
    return this.deafReason ? { ok: false, reason: this.deafReason } : { ok: true };
  }

  /** Feeds one webhook update; the caller has checked the secret header. */
  async handleWebhook(update: Update): Promise<void> {
    await this.bot.handleUpdate(update);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    if (this.polling) {
      try {
        this.bot.stop('shutdown');
      } catch {
        // Telegraf refuses to stop before its first poll has started; nothing is running then.
      }
      await this.polling.catch(() => undefined);
    }
  }
}
