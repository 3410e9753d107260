import { DateTime } from 'luxon';
import { foldVietnamese, parseDate } from '../../core/format.js';

/**
 * Parsers for the fields of a document as people type them (CSV cells, CLI flags, chat answers).
 * Each returns the value or the key of a `docs:errors.*` message; the import, `docs add` and
 * /tailieumoi all go through them, so the three accept exactly the same input.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; key: string; params?: Record<string, string | number> };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (key: string, params?: Record<string, string | number>): Parsed<never> => ({ ok: false, key, ...(params ? { params } : {}) });

export const LIMITS = { title: 300, number: 80, issuer: 200, summary: 3000, tag: 50, tags: 20, urls: 10, url: 1000 };

export function parseTitle(s: string): Parsed<string> {
  const v = s.trim().replace(/\s+/g, ' ');
  if (!v) return bad('title_empty');
  if (v.length > LIMITS.title) return bad('title_too_long', { max: LIMITS.title });
  return ok(v);
}

export function parseNumber(s: string): Parsed<string | null> {
  const v = s.trim().replace(/\s+/g, '');
  if (!v) return ok(null);
  if (v.length > LIMITS.number) return bad('number_too_long', { max: LIMITS.number });
  return ok(v);
}

/** The key documents are matched on: "3080-CV/BTGTU" and "3080-cv/btgtu" are one document. */
export function numberKey(number: string | null): string | null {
  return number ? foldVietnamese(number).replace(/\s+/g, '') : null;
}

export function parseIssuer(s: string): Parsed<string | null> {
  const v = s.trim().replace(/\s+/g, ' ');
  if (!v) return ok(null);
  if (v.length > LIMITS.issuer) return bad('issuer_too_long', { max: LIMITS.issuer });
  return ok(v);
}

/** A calendar day, kept as midnight UTC so it never shifts with time zones. */
export function parseIssuedOn(s: string): Parsed<Date | null> {
  const v = s.trim();
  if (!v) return ok(null);
  const dt = parseDate(v, 'UTC');
  if (!dt) return bad('date_bad', { value: v });
  return ok(dt.toJSDate());
}

export function issuedOnDate(d: Date): DateTime {
  return DateTime.fromJSDate(d, { zone: 'UTC' });
}

export function parseUrls(s: string): Parsed<string[]> {
  const parts = s.split(/[\s;|]+/).filter(Boolean);
  if (parts.length === 0) return bad('url_missing');
  if (parts.length > LIMITS.urls) return bad('url_too_many', { max: LIMITS.urls });
  const urls: string[] = [];
  for (const p of parts) {
    let u: URL;
    try {
      u = new URL(p);
    } catch {
      return bad('url_bad', { value: p });
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname || p.length > LIMITS.url) return bad('url_bad', { value: p });
    // The URL parser keeps characters such as '"' in a host (new URL('https://a"b.vn').href keeps the
    // quote): only letters, digits, '-' and '.' are a real host name (an IDN arrives as punycode).
    if (!isHostName(u.hostname)) return bad('url_bad_host', { value: p });
    if (!urls.includes(u.href)) urls.push(u.href);
  }
  return ok(urls);
}

/** A DNS name: labels of [A-Za-z0-9-] (punycode "xn--…" included) joined by dots. */
export function isHostName(host: string): boolean {
  return host.length <= 253 && /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/.test(host);
}

/** Links as stored (older imports were checked less): the ones safe to put on a button. */
export function isSafeUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isHostName(u.hostname);
  } catch {
    return false;
  }
}

export function parseSummary(s: string): Parsed<string | null> {
  const v = s.trim();
  if (!v) return ok(null);
  if (v.length > LIMITS.summary) return bad('summary_too_long', { max: LIMITS.summary });
  return ok(v);
}

export function parseTags(s: string): Parsed<string[]> {
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const raw of s.split(/[,;]/)) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (!tag) continue;
    if (tag.length > LIMITS.tag) return bad('tag_too_long', { value: tag, max: LIMITS.tag });
    const key = foldVietnamese(tag);
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  if (tags.length > LIMITS.tags) return bad('tags_too_many', { max: LIMITS.tags });
  return ok(tags);
}

/** Unit codes separated by commas, semicolons or spaces, in any letter case; every code must exist. */
export function parseUnitCodes(s: string, units: Map<string, number>): Parsed<number[]> {
  const codes = s.split(/[\s,;]+/).filter(Boolean);
  const anyCase = new Map([...units].map(([code, id]) => [code.toLowerCase(), id]));
  const idOf = (c: string) => units.get(c) ?? anyCase.get(c.toLowerCase());
  const unknown = codes.filter((c) => idOf(c) === undefined);
  if (unknown.length) return bad('unit_unknown', { value: unknown.join(', ') });
  return ok([...new Set(codes.map((c) => idOf(c)!))]);
}

/**
 * The audience of a document as typed: unit codes as above; `*` for every unit; nothing typed is
 * null (a new document gets the author's default, an existing one keeps its audience).
 */
export function parseAudienceCodes(s: string, units: Map<string, number>): Parsed<number[] | null> {
  const v = s.trim();
  if (!v) return ok(null);
  if (v === '*') return ok([]);
  return parseUnitCodes(v, units);
}

/** A category by name, ignoring case and diacritics; empty means "Khác". */
export function parseCategory(s: string, categories: { id: number; name: string }[]): Parsed<number> {
  const wanted = foldVietnamese(s.trim() || 'Khác').replace(/\s+/g, ' ');
  const found = categories.find((c) => foldVietnamese(c.name) === wanted);
  if (!found) return bad('category_unknown', { value: s.trim(), valid: categories.map((c) => c.name).join(', ') });
  return ok(found.id);
}
