import type { Router } from '../../../commands/router.js';
import type { IncomingMessage, OutgoingMessage, Reply } from '../../core/messages.js';
import type { Services } from '../../core/services.js';
import type { ChannelSender } from '../../delivery/channel.js';
import { errorKind, type Inbox, type ReceivedUpdate } from '../../delivery/inbox.js';
import { partsFor } from '../../delivery/parts.js';
import type { ChannelCapabilities } from '../capabilities.js';
import { closeChoices, presentChoices, readChoice, type ChoiceChat } from '../choices.js';
import type { ChannelAdapter, ChannelHealth, ChannelWebhook } from '../registry.js';
import { zaloCaller, type CallZalo } from './api.js';
import { zaloCapabilities } from './capabilities.js';
import { normalizeZaloUpdate } from './normalize.js';
import { ZaloPoller } from './poller.js';
import { ZaloSender } from './sender.js';
import type { ZaloBotInfo, ZaloUpdate } from './types.js';
import { parseZaloWebhookBody, verifyZaloSecret, ZALO_SECRET_HEADER } from './webhook.js';

export interface ZaloOptions {
  token: string;
  apiRoot: string;
  /** Webhook mode (ZALO_WEBHOOK_URL + ZALO_WEBHOOK_SECRET); long polling otherwise. */
  webhook?: { url: string; secret: string };
  sendTimeoutMs?: number;
  /** ZALO_SEND_RATE: messages per second over all chats. */
  sendRate?: number;
  /** getUpdates' long-poll timeout in seconds (default 30). */
  pollTimeoutSec?: number;
}

/**
 * The Zalo adapter. Updates come in by long polling (one update per getUpdates, deduplicated on
 * message_id by ZaloPoller) or by webhook, become channel-neutral messages and go to the same
 * router as Telegram's. Zalo has no buttons, edits, popups or contact sharing, so:
 * - a message's buttons become numbered choices (`N — label` lines at its end, src/channels/choices.ts)
 *   and a reply with the number is that button's press, with the same handler and checks;
 * - an edit is a new message (the replaced message's numbers stop acting); a popup is a short reply;
 * - text is the HTML subset made plain (text.ts), split at 2000 characters into ordered parts.
 * The outbox's messages get their numbers when sent, named by their outbox row, so a retry or a
 * takeover after a crash shows the same numbers.
 */
export class ZaloChannel implements ChannelAdapter {
  readonly name = 'zalo' as const;
  readonly capabilities: ChannelCapabilities;
  readonly sender: ChannelSender;
  readonly webhook?: ChannelWebhook;
  private readonly call: CallZalo;
  private readonly plain: ZaloSender;
  private readonly poller?: ZaloPoller;
  private stopping = false;
  private accountName = '';

  constructor(
    private readonly opts: ZaloOptions,
    private readonly router: Router,
    private readonly svc: () => Services,
    private readonly inbox: Inbox,
  ) {
    // What Zalo delivers is stored in the durable inbox first and handled from there (retried while the
    // database is away), so nothing it delivered is lost.
    inbox.registerHandler(this.name, (payload) => this.handleZaloUpdate(payload as ZaloUpdate));
    this.call = zaloCaller({ token: opts.token, apiRoot: opts.apiRoot, ...(opts.sendTimeoutMs ? { timeoutMs: opts.sendTimeoutMs } : {}) });
    this.plain = new ZaloSender(this.call, { ...(opts.sendTimeoutMs ? { timeoutMs: opts.sendTimeoutMs } : {}) });
    const pacing = { ...zaloCapabilities.pacing, ...(opts.sendRate ? { rate: opts.sendRate } : {}) };
    this.capabilities = { ...zaloCapabilities, pacing };
    this.sender = {
      send: async (chatId, msg, o) => this.plain.send(chatId, await this.withChoices({ channel: 'zalo', chatId }, msg, o?.ref)),
    };
    if (opts.webhook) this.webhook = this.webhookRoute(opts.webhook);
    else {
      this.poller = new ZaloPoller({
        call: this.call,
        handle: (update) => this.storeUntilStored(update),
        ...(opts.pollTimeoutSec !== undefined ? { pollTimeoutSec: opts.pollTimeoutSec } : {}),
        log: { warn: (o, m) => this.svc().log.warn(o, m), error: (o, m) => this.svc().log.error(o, m) },
      });
    }
  }

  /** Who the bot is on Zalo (its account name, for logs). */
  async identify(): Promise<string> {
    const me = await this.call<ZaloBotInfo>('getMe');
    this.accountName = me?.account_name ?? '';
    return this.accountName;
  }

  /** Zalo has no command menu. */
  async registerCommands(): Promise<void> {}

  async start(): Promise<void> {
    if (this.opts.webhook) {
      await this.call('setWebhook', { url: this.opts.webhook.url, secret_token: this.opts.webhook.secret });
      return;
    }
    // getUpdates is refused while a webhook is set (an earlier run in webhook mode).
    await this.call('deleteWebhook');
    this.poller!.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.poller?.stop();
  }

  health(): ChannelHealth {
    return this.poller ? this.poller.health() : { ok: true };
  }

  /** No deep links on Zalo: the person sends the invite's join code. */
  inviteLink(): null {
    return null;
  }

  /**
   * One update, polled or posted: a typed number that names an open choice becomes that button's
   * press, a number that means nothing gets a short hint, and everything else goes to the router as
   * it came. Throws when it could not be handled (the database is unreachable, Zalo refused the
   * reply), so whoever feeds updates (the poller, the webhook, a durable inbox) can tell.
   */
  async handleZaloUpdate(update: ZaloUpdate): Promise<void> {
    const msg = normalizeZaloUpdate(update);
    if (!msg) return;
    const svc = this.svc();
    const reading = await readChoice(svc.db, msg, svc.clock.now().toJSDate());
    const incoming = reading.kind === 'press' ? reading.message : msg;
    const reply = this.replyTo(incoming);
    if (reading.kind === 'hint') return void (await reply.send({ text: reading.text }));
    await this.router.handle(svc, incoming, reply);
  }

  /**
   * Stores a polled update, trying again with backoff (250 ms doubling to 4 s) while the database is
   * away: getUpdates hands each update out once (there is no offset to hold back), so this process keeps
   * it in memory and does not poll again until it is stored. Only a stop during an outage drops it.
   */
  private async storeUntilStored(update: ZaloUpdate): Promise<void> {
    for (let n = 0; !this.stopping; n++) {
      try {
        await this.inbox.store(this.name, [received(update)]);
        if (n) this.svc().log.info({ tries: n + 1 }, 'zalo update stored after the database came back');
        return;
      } catch (err) {
        if (n === 0) this.svc().log.warn({ err: { kind: errorKind(err) } }, 'could not store a zalo update; trying again');
        await new Promise((r) => setTimeout(r, Math.min(4000, 250 * 2 ** Math.min(n, 4))));
      }
    }
  }

  private replyTo(msg: IncomingMessage): Reply {
    const chat: ChoiceChat = { channel: 'zalo', chatId: msg.chat.id };
    const isButton = msg.kind === 'button';
    let answered = false;
    return {
      lacks: { contactSharing: true },
      send: (out) => this.sendParts(chat, out),
      // No edits: the replaced message's numbers stop acting (or, when the new version has buttons,
      // are given to it), and the new version is a new message.
      edit: async (out, ref) => {
        const target = ref ?? msg.messageRef;
        const hasButtons = !!out.buttons?.flat().length;
        if (target && !hasButtons) await closeChoices(this.svc().db, chat, target, this.svc().clock.now().toJSDate());
        await this.sendParts(chat, out, hasButtons ? target : undefined);
      },
      // No popups: a press's short answer is a short reply.
      notify: async (text) => {
        if (!isButton || answered) return;
        answered = true;
        if (text) await this.sendParts(chat, { text: text.slice(0, this.capabilities.maxPopupLength) });
      },
    };
  }

  /** Sends a reply as the ordered parts Zalo takes, numbering the buttons on the last; returns the message's ref. */
  private async sendParts(chat: ChoiceChat, out: OutgoingMessage, messageRef?: string): Promise<string> {
    const parts = partsFor(this.capabilities, out);
    let ref = '';
    for (let i = 0; i < parts.length; i++) {
      let part = parts[i]!;
      if (i === parts.length - 1) {
        const shown = await presentChoices(this.svc().db, chat, part, {
          now: this.svc().clock.now().toJSDate(),
          ...(messageRef ? { messageRef } : {}),
        });
        ref = shown.messageRef;
        part = { ...part, text: shown.text };
      }
      await this.plain.send(chat.chatId, part);
    }
    return ref;
  }

  /** The message with its buttons as numbered lines (the same numbers again for the same `ref`). */
  private async withChoices(chat: ChoiceChat, msg: OutgoingMessage, ref: string | undefined): Promise<OutgoingMessage> {
    if (!msg.buttons?.flat().length) return msg;
    const shown = await presentChoices(this.svc().db, chat, msg, {
      now: this.svc().clock.now().toJSDate(),
      ...(ref ? { messageRef: ref } : {}),
    });
    return { ...msg, text: shown.text };
  }

  /** Zalo posts to ZALO_WEBHOOK_URL's path with setWebhook's secret_token in X-Bot-Api-Secret-Token. */
  private webhookRoute(hook: { url: string; secret: string }): ChannelWebhook {
    return {
      path: new URL(hook.url).pathname,
      secretHeader: ZALO_SECRET_HEADER,
      verify: (secret) => verifyZaloSecret(secret, hook.secret),
      // 200 only once stored (the inbox drops a repeat of the same message_id); a throw answers 503
      // and Zalo posts it again.
      handle: async (body) => {
        const update = parseZaloWebhookBody(body);
        if (!update) return void this.svc().log.warn({}, 'zalo: malformed webhook update dropped');
        await this.inbox.store(this.name, [received(update)]);
      },
    };
  }
}

/** A Zalo update as the inbox stores it: keyed by its message id (Zalo's updates carry no update id), ordered per chat. */
function received(update: ZaloUpdate): ReceivedUpdate {
  return { updateId: update.message.message_id, chatKey: update.message.chat.id, payload: update };
}
