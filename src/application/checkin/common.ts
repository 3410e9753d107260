import type { Tx } from '../../db/client.js';
import { CheckinError } from '../../domain/checkin/campaigns.js';
import { DeadlineError } from '../../domain/deadlines/input.js';
import type { Actor } from '../actor.js';
import { deny } from '../policy.js';
import { refused, type Refusal } from '../result.js';

type Refused = { ok: false; refusal: Refusal };

/** Audits a refused attempt (`denied:checkin.<action>`) and refuses with the feature's own message. */
export async function denied(
  db: Tx,
  actor: Actor,
  action: string,
  target: string,
  key: string,
  params?: Record<string, string | number>,
): Promise<Refused> {
  const res = await deny(db, actor, `checkin.${action}`, target, key);
  return params ? { ok: false, refusal: { ...res.refusal, params } } : res;
}

/** Bad input found by the domain (`CheckinError`, `DeadlineError`) as a refusal; anything else is rethrown. */
export function inputRefusal(err: unknown): Refused {
  if (err instanceof CheckinError) return refused(`checkin:errors.${err.key}`, err.params);
  if (err instanceof DeadlineError) return refused(`deadlines:errors.${err.key}`, err.params);
  throw err;
}

const MAX_ID = 2_147_483_647;

/** A database id from anywhere (a typed "/tonghop 3", a CLI argument): 1…2^31-1, or null. */
export function asId(n: number | undefined): number | null {
  return n !== undefined && Number.isSafeInteger(n) && n >= 1 && n <= MAX_ID ? n : null;
}
