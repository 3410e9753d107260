import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Tx } from './model.js';

export interface Prefs {
  digestOff: boolean;
  remindHourBefore: boolean;
  icsToken: string | null;
}

export async function getPrefs(db: Tx, personId: number): Promise<Prefs> {
  const p = await db.schedulePrefs.findUnique({ where: { personId } });
  return { digestOff: p?.digestOff ?? false, remindHourBefore: p?.remindHourBefore ?? false, icsToken: p?.icsToken ?? null };
}

export async function setPrefs(db: Tx, personId: number, data: Partial<Pick<Prefs, 'digestOff' | 'remindHourBefore'>>): Promise<void> {
  await db.schedulePrefs.upsert({ where: { personId }, create: { personId, ...data }, update: data });
}

/** The person's calendar secret, created on first use; `renew` replaces it (the old link stops working). */
export async function calendarToken(db: Tx, clock: Clock, personId: number, renew = false): Promise<string> {
  const current = (await getPrefs(db, personId)).icsToken;
  if (current && !renew) return current;
  const icsToken = randomBytes(24).toString('base64url');
  const data = { icsToken, icsCreatedAt: clock.now().toJSDate() };
  await db.schedulePrefs.upsert({ where: { personId }, create: { personId, ...data }, update: data });
  return icsToken;
}

export async function revokeCalendarToken(db: Tx, personId: number): Promise<boolean> {
  const res = await db.schedulePrefs.updateMany({
    where: { personId, icsToken: { not: null } },
    data: { icsToken: null, icsCreatedAt: null },
  });
  return res.count > 0;
}

export async function personByCalendarToken(db: Tx, token: string): Promise<number | null> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const p = await db.schedulePrefs.findUnique({ where: { icsToken: token }, select: { personId: true } });
  return p?.personId ?? null;
}

/** Where calendar apps fetch the feed: PUBLIC_URL, else this machine's HTTP port. */
export function calendarUrl(config: { PUBLIC_URL?: string | undefined; PORT: number }, token: string): string {
  const base = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
  return `${base}/lich/${token}.ics`;
}
