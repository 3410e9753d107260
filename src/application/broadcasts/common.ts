import type { Db } from '../../db/client.js';
import type { DocView } from '../../domain/docs/store.js';
import { visibleUnitIds } from '../../domain/docs/visibility.js';
import type { Actor } from '../actor.js';
import { deny } from '../policy.js';
import type { Refusal } from '../result.js';
import type { BroadcastsAction } from './policy.js';

/** A refused attempt of `broadcasts.<action>` on `target`, audited, with the message to show. */
export async function refuse(
  db: Db,
  actor: Actor,
  action: BroadcastsAction,
  target: string,
  key?: string,
  params?: Record<string, string | number>,
): Promise<{ ok: false; refusal: Refusal }> {
  const r = await deny(db, actor, `broadcasts.${action}`, target, key);
  return params ? { ok: false, refusal: { ...r.refusal, params } } : r;
}

/**
 * May the actor see (and so send) this document? As /tailieu decides it: a document without units
 * is for everyone; otherwise one of its units must be visible to them (`visibleUnitIds`).
 */
export async function maySeeDocument(db: Db, actor: Actor, doc: Pick<DocView, 'units'>): Promise<boolean> {
  if (actor.kind === 'operator' || doc.units.length === 0) return true;
  const visible = new Set(await visibleUnitIds(db, actor.person.id));
  return doc.units.some((u) => visible.has(u.id));
}
