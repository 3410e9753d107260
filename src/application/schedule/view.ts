import type { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import type { Prisma } from '../../db/generated/client.js';
import type { Tx } from '../../db/client.js';
import { followedUnitIds } from '../../domain/schedule/audience.js';
import { calendarFeed } from '../../domain/schedule/ics.js';
import { findItems, type Item } from '../../domain/schedule/model.js';
import { calendarToken, calendarUrl, personByCalendarToken, revokeCalendarToken } from '../../domain/schedule/prefs.js';
import { audit } from '../../domain/audit.js';
import { loadPerson } from '../../domain/people.js';
import { t as translate } from '../../i18n.js';
import { auditActor, personActor, type Actor, type PersonActor } from '../actor.js';
import { inScope, scopeOf, type UnitScope } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { schedulePolicy } from './policy.js';

type Svc = Pick<Services, 'db' | 'clock' | 'config'>;

/** How far back the private calendar reaches; calendar apps keep what they already have. */
const FEED_PAST_DAYS = 60;

export interface Visible {
  /** Which items the actor sees (schedule.view). */
  where: Prisma.ScheduleItemWhereInput;
  /** The units whose items the actor may edit (schedule.edit). */
  editable: UnitScope;
  /** Units the actor holds a role in directly (their items are marked as theirs). */
  ownUnitIds: number[];
}

/**
 * schedule.view: the schedules of one's units and of those above them, the schedules one keeps,
 * and the items one or one's units take part in. The operator sees everything.
 */
export async function visible(db: Tx, actor: Actor): Promise<Visible> {
  const editable = await scopeOf(db, actor, schedulePolicy.rules.edit);
  if (actor.kind === 'operator') return { where: {}, editable, ownUnitIds: [] };
  const person = actor.person;
  const ownUnitIds = [...new Set(person.roles.map((r) => r.unitId))];
  const followed = await followedUnitIds(db, person.id);
  const units = new Set([...followed, ...(editable.all ? [] : editable.ids)]);
  return {
    where: {
      OR: [
        { unitId: { in: [...units] } },
        { people: { some: { personId: person.id } } },
        { units: { some: { unitId: { in: ownUnitIds } } } },
      ],
    },
    editable,
    ownUnitIds,
  };
}

export interface ScheduleList {
  items: Item[];
  /** Ids of the listed items the actor may edit, in list order. */
  editableIds: number[];
  ownUnitIds: number[];
}

/** /lich (and the command line's `schedule list`): items starting in [from, to), in time order. */
export async function listSchedule(
  svc: Svc,
  actor: Actor,
  range: { from: DateTime; to: DateTime; unitId?: number },
): Promise<Result<ScheduleList>> {
  const v = await visible(svc.db, actor);
  const items = await findItems(svc.db, svc.config.APP_TIMEZONE, {
    AND: [
      v.where,
      { startsAt: { gte: range.from.toJSDate(), lt: range.to.toJSDate() } },
      ...(range.unitId !== undefined ? [{ unitId: range.unitId }] : []),
    ],
  });
  return ok({ items, editableIds: items.filter((i) => inScope(v.editable, i.unitId)).map((i) => i.id), ownUnitIds: v.ownUnitIds });
}

/** schedule.calendar: one's private calendar link, created on first use; `renew` makes a new secret. */
export async function calendarLink(svc: Svc, actor: PersonActor, opts: { renew?: boolean } = {}): Promise<Result<{ url: string }>> {
  const personId = actor.person.id;
  const token = await calendarToken(svc.db, svc.clock, personId, !!opts.renew);
  if (opts.renew) await audit(svc.db, { ...auditActor(actor), action: 'schedule.ics.renew', target: `person:${personId}` });
  return ok({ url: calendarUrl(svc.config, token) });
}

/** schedule.calendar: revokes one's private calendar link (the feed answers 404 from now on). */
export async function revokeCalendarLink(svc: Svc, actor: PersonActor): Promise<Result<{ revoked: boolean }>> {
  const personId = actor.person.id;
  const revoked = await revokeCalendarToken(svc.db, personId);
  if (revoked) await audit(svc.db, { ...auditActor(actor), action: 'schedule.ics.revoke', target: `person:${personId}` });
  return ok({ revoked });
}

/**
 * The private calendar (ICS) of whoever the secret belongs to, with what schedule.view lets them
 * see. A wrong or revoked secret and a person who no longer exists are the same refusal.
 */
export async function calendarFeedByToken(svc: Svc, token: string): Promise<Result<string>> {
  const personId = await personByCalendarToken(svc.db, token);
  const person = personId ? await loadPerson(svc.db, personId) : null;
  if (!person) return refused('schedule:ics.not_found');
  const actor = personActor(person, 'ics');
  const v = await visible(svc.db, actor);
  const items = await findItems(svc.db, svc.config.APP_TIMEZONE, {
    AND: [v.where, { startsAt: { gte: svc.clock.now().minus({ days: FEED_PAST_DAYS }).toJSDate() } }],
  });
  const tr = translate(person.locale);
  return ok(
    calendarFeed(
      items,
      { personId: person.id, unitIds: v.ownUnitIds },
      { calName: tr('schedule:ics.cal_name'), chair: tr('schedule:ics.chair'), participants: tr('schedule:ics.participants') },
    ),
  );
}
