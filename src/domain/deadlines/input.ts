import type { Db } from '../../db/client.js';
import type { UnitKind } from '../../db/generated/enums.js';

/**
 * Bad input for a deadline; `key` names a message under `deadlines:errors.` shared by the chat and
 * the CLI, so both say the same thing.
 */
export class DeadlineError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`deadline: ${key} ${JSON.stringify(params)}`);
  }
}

export const MAX_TITLE = 300;
export const MAX_NOTE = 1000;

export function checkTitle(title: string): string {
  const t = title.trim().replace(/\s+/g, ' ');
  if (!t) throw new DeadlineError('empty_title');
  if (t.length > MAX_TITLE) throw new DeadlineError('title_too_long', { max: MAX_TITLE });
  return t;
}

/** An http(s) address, normalised; anything else is refused. */
export function checkLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    throw new DeadlineError('bad_link', { link: link.trim() });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DeadlineError('bad_link', { link: link.trim() });
  return url.href;
}

/**
 * "65-CV/BTGQU https://…" → document number and link, in any order, either optional. A word that
 * starts like an address ("ftp:", "www.") must be a valid http(s) link.
 */
export function splitDocAndLink(text: string): { docNumber: string | null; link: string | null } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const isAddress = (w: string) => (/^[a-z][a-z0-9+.-]*:/i.test(w) && !/^\d/.test(w)) || /^www\./i.test(w);
  const addresses = words.filter(isAddress);
  if (addresses.length > 1) throw new DeadlineError('one_link');
  const link = addresses[0] ? checkLink(/^www\./i.test(addresses[0]) ? `https://${addresses[0]}` : addresses[0]) : null;
  const doc = words.filter((w) => !isAddress(w)).join(' ');
  if (doc.length > 100) throw new DeadlineError('doc_too_long', { max: 100 });
  return { docNumber: doc || null, link };
}

/**
 * The units a deadline targets from typed codes: with `subtree`, the units below each code (not
 * the code itself, which is usually the committee asking); `kind` keeps only chi bộ or đảng bộ.
 */
export async function resolveUnits(
  db: Db,
  codes: string[],
  opts: { subtree?: boolean; kind?: UnitKind } = {},
): Promise<{ id: number; code: string; name: string; kind: UnitKind }[]> {
  const wanted = [...new Set(codes.map((c) => c.trim()).filter(Boolean))];
  if (wanted.length === 0) throw new DeadlineError('no_units');
  const found = await db.unit.findMany({
    where: { code: { in: wanted } },
    select: { id: true, code: true, name: true, kind: true, parentId: true },
  });
  const byCode = new Map(found.map((u) => [u.code.toLowerCase(), u]));
  const unknown = wanted.filter((c) => !byCode.has(c.toLowerCase()));
  if (unknown.length) {
    // Codes are typed by people; accept any letter case.
    const ci = await db.unit.findMany({
      where: { code: { in: unknown, mode: 'insensitive' } },
      select: { id: true, code: true, name: true, kind: true, parentId: true },
    });
    for (const u of ci) byCode.set(u.code.toLowerCase(), u);
    const still = unknown.filter((c) => !byCode.has(c.toLowerCase()));
    if (still.length) throw new DeadlineError('unknown_unit', { code: still.join(', ') });
  }
  let units = wanted.map((c) => byCode.get(c.toLowerCase())!);
  if (opts.subtree) {
    const all = await db.unit.findMany({ select: { id: true, code: true, name: true, kind: true, parentId: true } });
    const children = new Map<number, typeof all>();
    for (const u of all) if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u]);
    const below = new Map<number, (typeof all)[number]>();
    const walk = (id: number) => {
      for (const c of children.get(id) ?? []) {
        if (below.has(c.id)) continue;
        below.set(c.id, c);
        walk(c.id);
      }
    };
    for (const u of units) walk(u.id);
    units = [...below.values()];
  }
  if (opts.kind) units = units.filter((u) => u.kind === opts.kind);
  const unique = [...new Map(units.map((u) => [u.id, u])).values()].sort((a, b) => a.code.localeCompare(b.code));
  if (unique.length === 0) throw new DeadlineError('no_units');
  return unique.map(({ id, code, name, kind }) => ({ id, code, name, kind }));
}
