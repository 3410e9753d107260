import { EventEmitter } from 'node:events';
import type { TelegramMessageEntity as MessageEntity, TelegramUpdate as Update } from '../channels/telegram/types.js';
import type { BotApiEmulator, CallbackAnswer, StoredMessage } from '../emulator/botApiEmulator.js';

export interface InlineButton {
  text: string;
  data?: string;
  url?: string;
}

export interface KeyboardButton {
  text: string;
  /** A `request_contact` button: pressing it shares the person's own phone number. */
  contact: boolean;
}

export interface BotEntry {
  kind: 'bot';
  id: number;
  /** Plain text and Telegram's entities: the page renders formatting from these, never from HTML. */
  text: string;
  entities: MessageEntity[];
  buttons?: InlineButton[][];
  keyboard?: { rows: KeyboardButton[][]; oneTime: boolean };
  removeKeyboard?: boolean;
  edited: boolean;
  deleted: boolean;
  /** Sandbox time (ms) when it arrived. */
  at: number;
}

export interface UserEntry {
  kind: 'user';
  id: number;
  text?: string;
  contact?: string;
  at: number;
}

export type Entry = BotEntry | UserEntry;

interface TranscriptEvents {
  entry: [chatId: number, entry: Entry, change: 'added' | 'updated'];
  toast: [chatId: number, text: string, alert: boolean];
}

const MAX_ENTRIES = 500;

/**
 * Both sides of every private chat, in the order they happened, for the sandbox page. The emulator
 * keeps only the bot's side; people's own messages are taken from the updates they inject.
 */
export class Transcript extends EventEmitter<TranscriptEvents> {
  private readonly chats = new Map<number, Entry[]>();

  constructor(private readonly now: () => number) {
    super();
  }

  /** Starts recording; returns a function that stops it. */
  attach(emulator: BotApiEmulator): () => void {
    const onMessage = (m: StoredMessage, kind: 'sent' | 'edited'): void => this.onBotMessage(m, kind);
    const onDeleted = (m: StoredMessage): void => this.update(m.chat_id, m.message_id, { deleted: true });
    const onUpdate = (u: Update): void => this.onUpdate(u);
    const onAnswer = (a: CallbackAnswer): void => {
      if (a.text) this.emit('toast', a.chat_id, a.text, a.show_alert);
    };
    emulator.on('message', onMessage);
    emulator.on('deleted', onDeleted);
    emulator.on('update', onUpdate);
    emulator.on('callbackAnswer', onAnswer);
    return () => {
      emulator.off('message', onMessage);
      emulator.off('deleted', onDeleted);
      emulator.off('update', onUpdate);
      emulator.off('callbackAnswer', onAnswer);
    };
  }

  entries(chatId: number): readonly Entry[] {
    return this.chats.get(chatId) ?? [];
  }

  clear(): void {
    this.chats.clear();
  }

  private onBotMessage(m: StoredMessage, kind: 'sent' | 'edited'): void {
    const content = botContent(m);
    if (kind === 'edited') return this.update(m.chat_id, m.message_id, { ...content, edited: true });
    this.add(m.chat_id, { kind: 'bot', id: m.message_id, ...content, edited: false, deleted: m.deleted, at: this.now() });
  }

  private onUpdate(u: Update): void {
    if (!('message' in u)) return;
    const m = u.message;
    if (m.chat.type !== 'private' || m.from?.is_bot) return;
    const entry: UserEntry = { kind: 'user', id: m.message_id, at: this.now() };
    if ('text' in m) entry.text = m.text;
    else if ('contact' in m) entry.contact = m.contact.phone_number;
    else return;
    this.add(m.chat.id, entry);
  }

  private add(chatId: number, entry: Entry): void {
    let list = this.chats.get(chatId);
    if (!list) this.chats.set(chatId, (list = []));
    list.push(entry);
    if (list.length > MAX_ENTRIES) list.splice(0, list.length - MAX_ENTRIES);
    this.emit('entry', chatId, entry, 'added');
  }

  private update(chatId: number, id: number, patch: Partial<BotEntry>): void {
    const entry = this.chats.get(chatId)?.find((e): e is BotEntry => e.kind === 'bot' && e.id === id);
    if (!entry) return;
    // An edit without an inline keyboard removes it, as in Telegram.
    if ('text' in patch) delete entry.buttons;
    Object.assign(entry, patch);
    this.emit('entry', chatId, entry, 'updated');
  }
}

function botContent(m: StoredMessage): Pick<BotEntry, 'text' | 'entities' | 'buttons' | 'keyboard' | 'removeKeyboard'> {
  const out: Pick<BotEntry, 'text' | 'entities' | 'buttons' | 'keyboard' | 'removeKeyboard'> = {
    text: m.plainText,
    entities: m.entities,
  };
  const markup = m.reply_markup;
  if (!markup) return out;
  if ('inline_keyboard' in markup) {
    out.buttons = markup.inline_keyboard.map((row) =>
      row.map((b) => ({
        text: b.text,
        ...('callback_data' in b ? { data: b.callback_data } : {}),
        ...('url' in b ? { url: b.url } : {}),
      })),
    );
  } else if ('keyboard' in markup) {
    out.keyboard = {
      rows: markup.keyboard.map((row) =>
        row.map((b) =>
          typeof b === 'string' ? { text: b, contact: false } : { text: b.text, contact: 'request_contact' in b && !!b.request_contact },
        ),
      ),
      oneTime: !!markup.one_time_keyboard,
    };
  } else if ('remove_keyboard' in markup) {
    out.removeKeyboard = true;
  }
  return out;
}
