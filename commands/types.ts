import type { ChatIdentity } from '../src/db/generated/client.js';
import type { Role } from '../src/db/generated/enums.js';
import type { IncomingMessage, Reply } from '../src/core/messages.js';
import type { Services } from '../src/core/services.js';
import type { PersonView } from '../src/domain/people.js';
import type { Locale, TFunction } from '../src/i18n.js';
import type { PersonActor } from '../src/application/actor.js';
import type { CliRegistration } from '../src/cli/registration.js';
import type { HttpRoute } from '../src/http/server.js';
import type { Moment } from '../src/sandbox/clockPanel.js';
import type { Job } from '../src/scheduling/scheduler.js';

export interface CommandContext {
  msg: IncomingMessage;
  reply: Reply;
  svc: Services;
  /** The chat as the bot knows it; created on first contact. */
  chat: ChatIdentity;
  /** The linked person, or null for someone not yet linked. */
  person: PersonView | null;
  /** The person as the application layer's actor (null when not linked). */
  actor: PersonActor | null;
  locale: Locale;
  t: TFunction;
  /**
   * Guided-flow state for this chat (kept in the database). A flow is `suspended` once the person
   * runs another command: typed text then no longer answers it until it is resumed.
   */
  flow: { name: string; data: Record<string, unknown>; suspended: boolean } | null;
  /** The definition of `flow`, when this version of the bot has it. */
  activeFlow: FlowDef | null;
  /** Saves the flow's state (and makes it active again if it was suspended). */
  setFlow(name: string, data: Record<string, unknown>): Promise<void>;
  clearFlow(): Promise<void>;
}

/**
 * The first gate: anyone, any linked person, or holders of one of the roles (anywhere). Which
 * units the person may act on is decided by the feature's use cases (`src/application/`).
 */
export type Access = 'anyone' | 'linked' | readonly Role[];

/** The context of a handler whose access needs a linked person: `person` and `actor` are set. */
export interface LinkedContext extends CommandContext {
  person: PersonView;
  actor: PersonActor;
}

interface CommandBase {
  /** ASCII, [a-z0-9_]: what follows the slash. */
  name: string;
  /** Listed in /help and in Telegram's command menu (key `core:commands.<name>`, namespace may vary). */
  menu?: { ns: string };
  /** Works in group chats too. */
  inGroups?: boolean;
  /** The policy rule that decides it, `<feature>.<action>` (see `src/application/<feature>/policy.ts`). */
  policy?: string;
  /** Running it leaves a flow in progress as it is (/huy deals with the flow itself). */
  keepsFlow?: boolean;
}

export type CommandDef =
  | (CommandBase & { access: 'anyone'; run(ctx: CommandContext, args: string): Promise<void> })
  | (CommandBase & { access: 'linked' | readonly Role[]; run(ctx: LinkedContext, args: string): Promise<void> });

export interface ButtonDef {
  /** Callback data starts with `${prefix}:`. */
  prefix: string;
  access: Exclude<Access, 'anyone'>;
  inGroups?: boolean;
  /** The actions under the prefix with their own first gates (from a codec; see `buttons.ts`). */
  actions?: { action: string; access: Access; policy?: string }[];
  run(ctx: LinkedContext, args: string[]): Promise<void>;
}

export interface FlowDef {
  name: string;
  access: Exclude<Access, 'anyone'>;
  policy?: string;
  /** A text that is not a command while the flow is active. */
  onText(ctx: LinkedContext, text: string): Promise<void>;
  /**
   * What is in progress, as an i18n key read after "Tiếp tục" ("báo cáo", "tạo hạn báo cáo"); it
   * names the flow when it is suspended and on its resume button.
   */
  what?: string;
  /** Asks the current step again, after a suspension (without it the person is asked to go on typing). */
  resume?(ctx: LinkedContext): Promise<void>;
  /** What /huy says when it stops this flow (an i18n key), e.g. that the answers so far are kept. */
  cancelled?: string;
  /** Commands that carry on this flow themselves (/baocao for the report): running them does not set it aside. */
  ownCommands?: readonly string[];
  /** 'drop': another command simply ends it (a short optional step such as a note); default 'suspend'. */
  onCommand?: 'suspend' | 'drop';
}

/**
 * One feature's manifest: its chat commands, buttons and flows, and everything else it adds to the
 * bot — scheduled jobs, HTTP routes, command-line commands and the sandbox's demo data (loaded only
 * by the sandbox). `src/features.ts` reads them all.
 */
export interface Feature {
  /** A short name for logs ("deadlines"). */
  id?: string;
  commands?: CommandDef[];
  buttons?: ButtonDef[];
  flows?: FlowDef[];
  jobs?: Job[];
  routes?: HttpRoute[];
  cli?: CliRegistration[];
  /** Demo data for the sandbox, imported only when it runs. */
  seed?: () => Promise<(svc: Services) => Promise<Moment[]>>;
}
