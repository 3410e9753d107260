import type { StoredMessage } from '../../src/emulator/botApiEmulator.js';
import type { Harness } from '../helpers/harness.js';
import { P, user, type Who } from './org.js';

export interface Button {
  text: string;
  callback_data?: string;
  url?: string;
}

export const buttonsOf = (m: StoredMessage): Button[] =>
  ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();

/** The callback data of the button whose label contains `label`. */
export function dataOf(m: StoredMessage, label: string): string {
  const b = buttonsOf(m).find((x) => x.text.includes(label));
  if (!b?.callback_data) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(m))}`);
  return b.callback_data;
}

/** Talking to the bot as the fixture people. */
export function chat(h: () => Harness) {
  const count = (who: Who) => h().emulator.messagesTo(P[who].tg).length;
  return {
    /** Sends a text and returns the bot's next `n` messages (the last one by default). */
    async say(who: Who, text: string, n = 1): Promise<StoredMessage> {
      const before = count(who);
      h().emulator.sendText(user(who), text);
      return (await h().emulator.waitForMessages(P[who].tg, before + n)).at(-1)!;
    },
    /** Sends a text and returns all messages the bot sends until it has sent `n` of them. */
    async sayMany(who: Who, text: string, n: number): Promise<StoredMessage[]> {
      const before = count(who);
      h().emulator.sendText(user(who), text);
      return (await h().emulator.waitForMessages(P[who].tg, before + n)).slice(before);
    },
    /** Presses a button; waits for the popup and then for `next` new messages or an edit of the message. */
    async press(
      who: Who,
      msg: StoredMessage,
      data: string,
      expect: 'none' | 'edit' | number = 'none',
    ): Promise<{ popup: string | undefined; messages: StoredMessage[] }> {
      const before = count(who);
      const edits = msg.edits.length;
      const q = h().emulator.pressButton(user(who), msg, data);
      const answer = await h().emulator.waitForCallbackAnswer(q);
      if (expect === 'edit') await h().emulator.waitUntil(() => msg.edits.length > edits, 5000, `an edit of message ${msg.message_id}`);
      let messages: StoredMessage[] = [];
      if (typeof expect === 'number') messages = (await h().emulator.waitForMessages(P[who].tg, before + expect)).slice(before);
      return { popup: answer.text, messages };
    },
  };
}
