import type { Channel } from '../../core/messages.js';
import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { chatsOf, setPreferredChannel, type PersonChats } from '../../domain/reach.js';
import { auditActor, type PersonActor } from '../actor.js';
import { ok, refused, type Result } from '../result.js';

type Svc = Pick<Services, 'db'>;

/** core.channel: the person's own linked chats and the one their pushes go to. */
export async function myChannels(svc: Svc, actor: PersonActor): Promise<Result<PersonChats>> {
  return ok(await chatsOf(svc.db, actor.person.id));
}

/**
 * core.channel: pushes go to the person's chat on `channel` from now on (null: automatically, to the
 * chat they used last). Only a channel the person has an active private chat on can be chosen; the
 * value is absolute, so a second press changes nothing, and a real change is audited.
 */
export async function chooseChannel(svc: Svc, actor: PersonActor, channel: Channel | null): Promise<Result<PersonChats>> {
  const personId = actor.person.id;
  const before = await chatsOf(svc.db, personId);
  if (channel !== null && !before.chats.some((c) => c.channel === channel)) return refused('core:kenh.not_linked');
  if (before.preferredChannel !== channel) {
    await svc.db.$transaction(async (tx) => {
      await setPreferredChannel(tx, personId, channel);
      await audit(tx, {
        ...auditActor(actor),
        action: 'person.channel',
        target: `person:${personId}`,
        details: { before: before.preferredChannel, after: channel },
      });
    });
  }
  return ok(await chatsOf(svc.db, personId));
}
