import type { ChatIdentity } from '../src/db/generated/client.js';
import type { Role } from '../src/db/generated/enums.js';
import type { IncomingMessage, Reply } from '../src/core/messages.js';
import type { Services } from '../src/core/services.js';
import type { PersonView } from '../src/domain/people.js';
import type { Locale, TFunction } from '../src/i18n.js';

export interface CommandContext {
  msg: IncomingMessage;
  reply: Reply;
  svc: Services;
  /** The chat as the bot knows it; created on first contact. */
  chat: ChatIdentity;
  /** The linked person, or null for someone not yet linked. */
  person: PersonView | null;
  locale: Locale;
  t: TFunction;
  /** Guided-flow state for this chat (kept in the database). */
  flow: { name: string; data: Record<string, unknown> } | null;
  setFlow(name: string, data: Record<string, unknown>): Promise<void>;
  clearFlow(): Promise<void>;
}

/** Who may use something: anyone, any linked person, or holders of one of the roles (anywhere). */
export type Access = 'anyone' | 'linked' | readonly Role[];

export interface CommandDef {
  /** ASCII, [a-z0-9_]: what follows the slash. */
  name: string;
  access: Access;
  /** Listed in /help and in Telegram's command menu (key `core:commands.<name>`, namespace may vary). */
  menu?: { ns: string };
  /** Works in group chats too. */
  inGroups?: boolean;
  run(ctx: CommandContext, args: string): Promise<void>;
}

export interface ButtonDef {
  /** Callback data starts with `${prefix}:`. */
  prefix: string;
  access: Access;
  inGroups?: boolean;
  run(ctx: CommandContext, args: string[]): Promise<void>;
}

export interface FlowDef {
  name: string;
  access: Access;
  /** A text that is not a command while the flow is active. */
  onText(ctx: CommandContext, text: string): Promise<void>;
}

export interface Feature {
  commands?: CommandDef[];
  buttons?: ButtonDef[];
  flows?: FlowDef[];
}
