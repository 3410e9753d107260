import type { CallbackAnswer, StoredMessage, TestUser } from '../../src/emulator/botApiEmulator.js';
import type { Harness } from './harness.js';
import { user, type RosterPerson, type Who } from './roster.js';

/** An inline button as the bot sent it. */
export interface Button {
  text: string;
  callback_data?: string;
  url?: string;
}

/** The inline buttons of a message, row after row. */
export function buttonsOf(m: StoredMessage | undefined): Button[] {
  return ((m?.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
}

/** Callback data of the inline buttons of a message ('' for a URL button). */
export function buttonData(m: StoredMessage | undefined): string[] {
  return buttonsOf(m).map((b) => b.callback_data ?? '');
}

/** The callback data of the button whose label contains `label`. */
export function dataOf(m: StoredMessage, label: string): string {
  const b = buttonsOf(m).find((x) => x.text.includes(label));
  if (!b?.callback_data) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(m))}`);
  return b.callback_data;
}

/**
 * One person's private chat with the bot. `harness` is a function so a test can restart the bot
 * (a new harness on the same emulator) and keep talking.
 */
export class Chat {
  constructor(
    private readonly harness: () => Harness,
    readonly user: TestUser,
  ) {}

  /** The chat of a person of the roster (or a feature's addition). */
  static of(harness: () => Harness, who: Who | RosterPerson): Chat {
    return new Chat(harness, user(who));
  }

  private get emu() {
    return this.harness().emulator;
  }

  messages(): StoredMessage[] {
    return this.emu.messagesTo(this.user.id);
  }

  last(): StoredMessage {
    return this.messages().at(-1)!;
  }

  /** Waits for the next message after the first `after` ones, optionally one whose text contains `match`. */
  async next(after: number, match?: string): Promise<StoredMessage> {
    return this.emu.waitUntil(
      () =>
        this.messages()
          .slice(after)
          .find((m) => !match || m.plainText.includes(match)),
      8000,
      `a message to ${this.user.id}${match ? ` containing ${JSON.stringify(match)}` : ''}`,
    );
  }

  /** Waits until the bot has sent `more` messages after the first `after` ones and returns those. */
  async nextMany(after: number, more: number, timeoutMs = 8000): Promise<StoredMessage[]> {
    return (await this.emu.waitForMessages(this.user.id, after + more, timeoutMs)).slice(after);
  }

  /** Sends a text and returns the bot's answer. */
  async say(text: string, match?: string): Promise<StoredMessage> {
    const n = this.messages().length;
    this.emu.sendText(this.user, text);
    return this.next(n, match);
  }

  /** Sends a text and returns the bot's messages once it has sent `more` of them. */
  async sayMany(text: string, more: number): Promise<StoredMessage[]> {
    const n = this.messages().length;
    this.emu.sendText(this.user, text);
    return this.nextMany(n, more);
  }

  /** The data of the newest button whose data starts with `prefix`. */
  button(prefix: string): string {
    for (const m of [...this.messages()].reverse()) {
      const d = buttonData(m).find((x) => x.startsWith(prefix));
      if (d) return d;
    }
    throw new Error(`no button ${prefix}… in chat ${this.user.id}; last: ${this.last()?.plainText}`);
  }

  /**
   * Presses a button (on `on`, else the newest message carrying it, or with `force` the given message
   * even if it no longer has it) and returns the popup answer and, unless `reply: false`, the next
   * message. With `edit: true` it waits for the pressed message to be edited instead.
   */
  async press(
    data: string,
    opts: { on?: StoredMessage; force?: StoredMessage; reply?: boolean; match?: string; edit?: boolean } = {},
  ): Promise<{ answer: CallbackAnswer; message: StoredMessage }> {
    const target = opts.force ?? opts.on ?? [...this.messages()].reverse().find((m) => buttonData(m).includes(data));
    if (!target) throw new Error(`no message with button ${data} in chat ${this.user.id}`);
    const n = this.messages().length;
    const edits = target.edits.length;
    const id = this.emu.pressButton(this.user, target, data, { force: !!opts.force });
    const answer = await this.emu.waitForCallbackAnswer(id, 8000);
    if (opts.edit) {
      await this.emu.waitUntil(() => target.edits.length > edits, 8000, `an edit of message ${target.message_id}`);
      return { answer, message: target };
    }
    const message = opts.reply === false ? target : await this.next(n, opts.match);
    return { answer, message };
  }
}
