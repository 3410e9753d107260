/**
 * Channel-neutral messages: command handlers see only these types, never Telegram's or Zalo's.
 * Text is Telegram's HTML subset (<b>, <i>, <a>, <code>); channels without formatting strip it.
 */
/** The channels' names, as chat identities store them (the adapters live in src/channels/). */
export const CHANNELS = ['telegram', 'zalo'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Button {
  text: string;
  /** Callback data, ≤ 64 bytes: "feature:action:arg". */
  data?: string;
  url?: string;
}

export type Keyboard = Button[][];

export interface OutgoingMessage {
  text: string;
  buttons?: Keyboard;
  /** Ask for the person's phone number with a one-tap button labelled so. */
  requestContact?: string;
  /** Remove a reply keyboard shown earlier (e.g. after the contact was shared). */
  removeKeyboard?: boolean;
  /** Do not expand link previews. */
  noPreview?: boolean;
  /**
   * The message also asks for a typed answer (a number, a text): a channel that shows buttons as
   * numbered choices must not take a bare number as a choice (see src/channels/choices.ts).
   */
  typedAnswer?: boolean;
}

export interface IncomingMessage {
  channel: Channel;
  /** The channel's id of the update, for the log (never its content). */
  updateId?: string;
  chat: { id: string; isGroup: boolean; title?: string };
  sender: { id: string; name: string; languageCode?: string };
  /**
   * A text (command or answer), a button press, a shared contact, or something the channel cannot
   * show us (an image, a sticker, a link the platform withholds): never an answer to a flow.
   */
  kind: 'text' | 'button' | 'contact' | 'unsupported';
  text?: string;
  data?: string;
  /** The message the pressed button was on. */
  messageRef?: string;
  contact?: { phone: string; userId?: string };
}

/** How a handler answers; the adapter implements it for its channel. */
export interface Reply {
  send(msg: OutgoingMessage): Promise<string>;
  /** Replaces the message the button was pressed on (or `ref`). */
  edit(msg: OutgoingMessage, ref?: string): Promise<void>;
  /** Acknowledges a button press, optionally with a short popup text. */
  notify(text?: string): Promise<void>;
  /**
   * What the channel cannot do, where a handler must word a message otherwise (without a one-tap
   * "share my phone number" button, /start asks for the join code). Absent: it can do everything.
   */
  readonly lacks?: { contactSharing?: boolean };
}
