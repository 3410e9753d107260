import { capabilitiesOf, smallestTextLimit, type ChannelCapabilities } from '../channels/capabilities.js';
import type { Keyboard, OutgoingMessage } from '../core/messages.js';
import { splitHtml } from '../core/split.js';

/**
 * Room the last part keeps on a channel without buttons, where the adapter writes each button as a
 * numbered line ("12 — ✅ Đã nộp") under the text.
 */
export function choicesRoom(caps: ChannelCapabilities, buttons: Keyboard | undefined): number {
  return caps.buttons ? 0 : numberedChoicesLength(buttons);
}

function numberedChoicesLength(buttons: Keyboard | undefined): number {
  if (!buttons?.length) return 0;
  return 2 + buttons.flat().reduce((n, b) => n + b.text.length + '999 — \n'.length, 0);
}

/** Whether a message fits every channel as it is (its written length is at least what any channel counts). */
export function fitsEverywhere(msg: OutgoingMessage): boolean {
  return msg.text.length + numberedChoicesLength(msg.buttons) <= smallestTextLimit();
}

/** `partsFor` on the channel a chat identity belongs to. */
export function partsForChannel(channel: string, msg: OutgoingMessage): OutgoingMessage[] {
  return partsFor(capabilitiesOf(channel), msg);
}

/**
 * A message as the ordered parts a channel can take: unchanged when it fits, else its text split at
 * the channel's limit (numbered "(i/n)"), the buttons, contact request and keyboard removal on the
 * last part only.
 */
export function partsFor(caps: ChannelCapabilities, msg: OutgoingMessage): OutgoingMessage[] {
  const reserveLast = choicesRoom(caps, msg.buttons);
  if (msg.text.length + reserveLast <= caps.maxTextLength) return [msg];
  const texts = splitHtml(msg.text, caps.maxTextLength, { number: true, linksShowUrl: !caps.html, reserveLast });
  if (texts.length <= 1) return [msg];
  const { buttons: _b, requestContact: _c, removeKeyboard: _r, ...rest } = msg;
  return texts.map((text, i) => (i === texts.length - 1 ? { ...msg, text } : { ...rest, text }));
}

/** The dedupe key of part `i` of `n`: the last part keeps the message's own key (what acknowledgements and statistics look up). */
export function partKey(key: string, i: number, n: number): string {
  return i === n - 1 ? key : `${key}:p${i + 1}`;
}

/**
 * Room for the text of each part of a series a view cuts itself and numbers "(i/n)" (a long notice),
 * for a channel's chats: within `budget` as written, and within the channel's limit with room for
 * the numbering and, on the last part, the numbered choices. A series cut so is not cut again by the
 * outbox (which would number the pieces of each part on their own).
 */
export function seriesBudget(channel: string, budget: number, buttons?: Keyboard): number {
  const caps = capabilitiesOf(channel);
  return Math.min(budget, caps.maxTextLength - SERIES_MARGIN - choicesRoom(caps, buttons));
}

/** What a view adds around its budget ("(12/12)" in italics, a blank line) with some slack. */
const SERIES_MARGIN = 96;
