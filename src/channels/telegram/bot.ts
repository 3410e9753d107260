import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Router } from '../../../commands/router.js';
import type { OutgoingMessage, Reply } from '../../core/messages.js';
import type { Services } from '../../core/services.js';
import { t } from '../../i18n.js';
import { telegramCapabilities } from './capabilities.js';
import { fitPlain } from './fit.js';
import { telegramExtra, telegramText } from './markup.js';
import { normalizeUpdate } from './normalize.js';
import { TelegramSender } from './sender.js';

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  webhook?: { url: string; secret: string };
  sendTimeoutMs?: number;
}

/** The Telegram adapter: updates in through telegraf, replies out through Reply. */
export class TelegramChannel {
  readonly bot: Telegraf;
  readonly sender: TelegramSender;
  private polling?: Promise<void>;

  constructor(
    private readonly opts: TelegramOptions,
    private readonly router: Router,
    private readonly svc: () => Services,
  ) {
    this.bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot }, handlerTimeout: 60_000 });
    this.sender = new TelegramSender(this.bot.telegram, opts.sendTimeoutMs);
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
    this.bot.catch((err, ctx) => this.svc().log.error({ err, update: ctx.update }, 'telegram update failed'));
  }

  /** Who the bot is (username for invite links). */
  async identify(): Promise<string> {
    const me = await this.bot.telegram.getMe();
    this.bot.botInfo = me;
    return me.username;
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
    this.polling = this.bot.launch({ dropPendingUpdates: false });
    this.polling.catch((err) => this.svc().log.error({ err }, 'polling stopped'));
  }

  /** Feeds one webhook update; the caller has checked the secret header. */
  async handleWebhook(update: Update): Promise<void> {
    await this.bot.handleUpdate(update);
  }

  async stop(): Promise<void> {
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
