import type { Router } from '../../commands/router.js';
import type { Config } from '../config.js';
import type { Channel } from '../core/messages.js';
import type { Services } from '../core/services.js';
import type { ChannelSender } from '../delivery/channel.js';
import type { Inbox } from '../delivery/inbox.js';
import type { ChannelCapabilities } from './capabilities.js';
import { telegramRegistration } from './telegram/registration.js';
import { zaloRegistration } from './zalo/registration.js';

export type { ChannelCapabilities, ChannelPacing } from './capabilities.js';

/** Where a channel's platform posts updates to the bot (webhook mode). */
export interface ChannelWebhook {
  /** Path on the bot's HTTP server, e.g. "/telegram/webhook". */
  path: string;
  /** The request header the platform puts the shared secret in (lower case). */
  secretHeader: string;
  /** Whether the header's value is the secret; a request that fails gets 401 and is not read. */
  verify(secret: string | undefined): boolean;
  /**
   * One update, as the platform posted it (JSON body): resolves once it is durably stored (the
   * server then answers 200); rejects when it could not be (the server answers 503 and the platform
   * posts it again).
   */
  handle(body: unknown): Promise<void>;
}

/** Whether a channel is receiving updates, for /healthz. */
export interface ChannelHealth {
  ok: boolean;
  reason?: string;
}

/**
 * One channel the bot runs on: updates in (polling or its webhook), handlers' replies out, the
 * outbox's sender, and what the channel can show. The app, the HTTP server, the delivery worker and
 * the CLI see channels only through this.
 */
export interface ChannelAdapter {
  readonly name: Channel;
  /** What it can show, and its pacing (configuration already applied). */
  readonly capabilities: ChannelCapabilities;
  /** Sends the outbox's messages. */
  readonly sender: ChannelSender;
  /** Set in webhook mode: the HTTP server routes this path to the adapter. */
  readonly webhook?: ChannelWebhook;
  /** Asks the platform who the bot is; returns its name there (for logs). Called once, before start(). */
  identify(): Promise<string>;
  /** The command menu, where the platform has one (a no-op otherwise). Failing is not fatal. */
  registerCommands(): Promise<void>;
  /** Starts receiving updates (long polling, or registering the webhook). */
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): ChannelHealth;
  /**
   * How an invite token reaches a person on this channel: a link that opens the chat with the bot
   * and redeems it, or null when the channel has none (the person types the code). After identify().
   */
  inviteLink(token: string): string | null;
}

/**
 * What an adapter needs from the app: the router for incoming messages, the services it hands it,
 * and the durable inbox. A channel stores every update it receives with `inbox.store(name, …)`
 * before acknowledging it to the platform (poll offset, webhook 2xx; throw → not acknowledged), and
 * handles it in `inbox.registerHandler(name, payload => …)` (src/delivery/inbox.ts).
 */
export interface ChannelDeps {
  router: Router;
  svc: () => Services;
  inbox: Inbox;
}

/** Makes invite links without a running adapter (the CLI). */
export type InviteLinks = (token: string) => string;

/** A channel the bot knows: whether the configuration turns it on, and how to build its adapter. */
export interface ChannelRegistration {
  name: Channel;
  /** The variable that turns it on (for messages). */
  tokenVariable: string;
  /** Its token is set. */
  enabled(config: Config): boolean;
  create(config: Config, deps: ChannelDeps): Promise<ChannelAdapter>;
  /**
   * Invite links for this configuration without starting the channel (asking the platform who the
   * bot is when the configuration does not say); null when the channel has no links or cannot tell.
   */
  inviteLinks(config: Config): Promise<InviteLinks | null>;
  /** People join it by typing the invite's code (it has no links). */
  joinsByCode?: boolean;
}

/** Every channel, in order of preference for invite links. */
const registrations: ChannelRegistration[] = [telegramRegistration, zaloRegistration];

/** The adapters of the channels the configuration enables (none: the caller decides what that means). */
export async function createChannels(config: Config, deps: ChannelDeps): Promise<ChannelAdapter[]> {
  return Promise.all(registrations.filter((r) => r.enabled(config)).map((r) => r.create(config, deps)));
}

/** Whether any channel has its token set (otherwise `npm start` opens the sandbox). */
export function anyChannelEnabled(config: Config): boolean {
  return registrations.some((r) => r.enabled(config));
}

/** "TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN", for a message saying how to turn a channel on. */
export function channelTokenVariables(): string {
  return registrations.map((r) => r.tokenVariable).join(' or ');
}

/** The first channel's invite links for this configuration (see ChannelRegistration.inviteLinks). */
export async function inviteLinksFor(config: Config): Promise<InviteLinks | null> {
  for (const r of registrations) {
    const links = await r.inviteLinks(config);
    if (links) return links;
  }
  return null;
}

/** Whether an enabled channel takes the invite's join code instead of a link (an invite then needs no link). */
export function codeJoinEnabled(config: Config): boolean {
  return registrations.some((r) => r.enabled(config) && r.joinsByCode);
}
