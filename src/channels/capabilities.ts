import type { Channel } from '../core/messages.js';
import type { ChannelPacing } from '../delivery/channel.js';
import { telegramCapabilities } from './telegram/capabilities.js';
import { zaloCapabilities } from './zalo/capabilities.js';

export type { ChannelPacing } from '../delivery/channel.js';

/**
 * What a channel can show, declared by its adapter. Views are written once, channel-neutral, in the
 * HTML subset; the adapter makes them fit, and the outbox splits a long text at `maxTextLength`.
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
  /** A one-tap "share my phone number" button (OutgoingMessage.requestContact). */
  contactSharing: boolean;
  /** Text is the HTML subset; without it the adapter sends plain text (a link shows as "text (url)"). */
  html: boolean;
  /** What the platform tolerates; configuration may override the rate. */
  pacing: ChannelPacing;
}

/**
 * Every channel's capabilities by name: facts about the platform, needed where no adapter is at
 * hand (the outbox splits a text at enqueue time, for the channel of each chat).
 */
export const channelCapabilities: Partial<Record<Channel, ChannelCapabilities>> = {
  telegram: telegramCapabilities,
  zalo: zaloCapabilities,
};

/** A channel not (yet) registered gets the most cautious limits of the ones known. */
export function capabilitiesOf(channel: string): ChannelCapabilities {
  const known = channelCapabilities[channel as Channel];
  if (known) return known;
  const all = Object.values(channelCapabilities);
  return {
    ...all[0]!,
    maxTextLength: Math.min(...all.map((c) => c.maxTextLength)),
    html: all.every((c) => c.html),
  };
}

/** The smallest text limit over all channels: a text within it fits everywhere. */
export function smallestTextLimit(): number {
  return Math.min(...Object.values(channelCapabilities).map((c) => c.maxTextLength));
}
