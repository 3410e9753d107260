import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { getPrefs, setPrefs, type Prefs } from '../../domain/schedule/prefs.js';
import { auditActor, type PersonActor } from '../actor.js';
import { ok, type Result } from '../result.js';

type Svc = Pick<Services, 'db'>;

export type Setting = 'digest' | 'hour';

/** schedule.settings: one's own digest and reminder settings. */
export async function getSettings(svc: Svc, actor: PersonActor): Promise<Result<Prefs>> {
  return ok(await getPrefs(svc.db, actor.person.id));
}

/**
 * schedule.settings: `digest` on = receive the weekly digest, `hour` on = a reminder an hour before.
 * The value is absolute, so a double press is harmless; a real change is audited with before/after.
 */
export async function changeSetting(svc: Svc, actor: PersonActor, what: Setting, on: boolean): Promise<Result<Prefs>> {
  const personId = actor.person.id;
  const before = await getPrefs(svc.db, personId);
  const data = what === 'digest' ? { digestOff: !on } : { remindHourBefore: on };
  const changed = what === 'digest' ? before.digestOff !== !on : before.remindHourBefore !== on;
  if (changed) {
    await svc.db.$transaction(async (tx) => {
      await setPrefs(tx, personId, data);
      const was = what === 'digest' ? { digestOff: before.digestOff } : { remindHourBefore: before.remindHourBefore };
      await audit(tx, {
        ...auditActor(actor),
        action: 'schedule.settings',
        target: `person:${personId}`,
        details: { before: was, after: data },
      });
    });
  }
  return ok(await getPrefs(svc.db, personId));
}
