import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { loadPerson } from '../../domain/people.js';
import {
  checkLoginToken,
  createLoginToken,
  endSession,
  LOGIN_TTL_MINUTES,
  redeemLoginToken,
  sessionPerson,
  type LoginCheck,
} from '../../domain/web/sessions.js';
import { auditActor, personActor, type Actor, type PersonActor } from '../actor.js';
import { deny, mayTryRule } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { webPolicy } from './policy.js';

/** What the audit log and the actor say a request came through. */
export const WEB_VIA = 'web';

/** `/web`: a personal sign-in link's token for the actor, valid LOGIN_TTL_MINUTES. */
export async function requestSignIn(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
): Promise<Result<{ token: string; minutes: number }>> {
  if (actor.kind !== 'person' || !mayTryRule(webPolicy.rules.signIn, actor.person)) return deny(svc.db, actor, 'web.signIn');
  const token = await svc.db.$transaction(async (tx) => {
    const token = await createLoginToken(tx, actor.person.id, svc.clock.now());
    await audit(tx, { ...auditActor(actor), action: 'web.link', target: `person:${actor.person.id}` });
    return token;
  });
  return ok({ token, minutes: LOGIN_TTL_MINUTES });
}

/** Why a link does not sign in: the page says so politely and asks for a new `/web`. */
function linkRefusal(c: Extract<LoginCheck, { ok: false }>) {
  return refused(`web:login.${c.reason}`);
}

/** The confirmation page of a link: is it still good? Nothing is used up. */
export async function checkSignIn(svc: Services, token: string): Promise<Result<{ personId: number }>> {
  const c = await checkLoginToken(svc.db, token, svc.clock.now());
  return c.ok ? ok({ personId: c.personId }) : linkRefusal(c);
}

/** Uses the link up and opens a session: the session token goes into the cookie. */
export async function signIn(svc: Services, token: string): Promise<Result<{ session: string; personId: number }>> {
  return svc.db.$transaction(async (tx) => {
    const r = await redeemLoginToken(tx, token, svc.clock.now());
    if (!r.ok) return linkRefusal(r);
    await audit(tx, { actorId: r.personId, actor: WEB_VIA, action: 'web.signin', target: `person:${r.personId}` });
    return ok({ session: r.session!, personId: r.personId });
  });
}

export interface WebSession {
  sessionId: number;
  actor: PersonActor;
}

/** The signed-in person behind a session cookie, as the actor every page passes to the use cases. */
export async function sessionActor(svc: Services, cookie: string | undefined): Promise<WebSession | null> {
  const s = await sessionPerson(svc.db, cookie, svc.clock.now());
  if (!s) return null;
  const person = await loadPerson(svc.db, s.personId);
  return person ? { sessionId: s.sessionId, actor: personActor(person, WEB_VIA) } : null;
}

/** "Đăng xuất". */
export async function signOut(svc: Services, session: WebSession): Promise<void> {
  await svc.db.$transaction(async (tx) => {
    await endSession(tx, session.sessionId);
    await audit(tx, { ...auditActor(session.actor), action: 'web.signout', target: `person:${session.actor.person.id}` });
  });
}
