import { describe, expect, it } from 'vitest';
import { htmlToPlain } from '../../src/core/html.js';
import { clipHtml, splitHtml, visibleLength } from '../../src/core/split.js';
import { parseHtml } from '../../src/emulator/html.js';

/** What a person sees, by the emulator's port of Telegram's parser: throws on a cut tag, an unclosed tag or a broken entity. */
const seen = (html: string) => parseHtml(html, { strictAmpersand: true }).text;
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** A small seeded generator, so a failure names the seed that reproduces it. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Chi', 'bộ', 'báo', 'cáo', 'văn bản', '3080-CV/BTGTU', '📄', 'Đảng', 'ủy', 'nộp.', 'hạn:', 'x'.repeat(40)];
const ENTITIES = ['&lt;', '&gt;', '&amp;', '&quot;', '&#x1F4C4;'];
const TAGS = ['b', 'i', 'u', 's', 'code'];

/** Random text in the bot's HTML subset: words, entities, nested tags, links, line and paragraph breaks. */
function randomHtml(next: () => number, size: number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const out: string[] = [];
  const open: string[] = [];
  while (out.join('').length < size) {
    const r = next();
    if (r < 0.55) out.push(pick(WORDS), ' ');
    else if (r < 0.62) out.push(pick(ENTITIES));
    else if (r < 0.7 && open.length < 3) {
      const tag = pick(TAGS);
      open.push(tag);
      out.push(`<${tag}>`);
    } else if (r < 0.78 && open.length) out.push(`</${open.pop()!}>`);
    else if (r < 0.82 && !open.includes('a'))
      out.push(`<a href="https://example.org/vb/${Math.floor(next() * 1000)}">`, pick(WORDS), '</a>');
    else if (r < 0.93) out.push('\n');
    else out.push('\n\n');
  }
  while (open.length) out.push(`</${open.pop()!}>`);
  return out.join('');
}

describe('one splitter for every long message', () => {
  it.each([
    [2000, 'visible'],
    [4096, 'visible'],
    [700, 'visible'],
    [4000, 'source'],
    [300, 'source'],
  ] as const)('keeps every part within %i (%s), valid, with all the text in order', (limit, measure) => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed * 7919 + limit);
      const html = randomHtml(next, 200 + Math.floor(next() * limit * 3));
      const parts = splitHtml(html, limit, { measure });
      const size = (p: string) => (measure === 'source' ? p.length : visibleLength(p));
      expect(parts.length, `seed ${seed}`).toBeGreaterThan(0);
      for (const p of parts) {
        expect(size(p), `seed ${seed}`).toBeLessThanOrEqual(limit);
        expect(() => seen(p), `seed ${seed}: ${p}`).not.toThrow(); // tags balanced, entities whole
        expect(p.trim(), `seed ${seed}`).not.toBe('');
      }
      expect(squeeze(parts.map(seen).join('')), `seed ${seed}`).toBe(squeeze(seen(html)));
      if (size(html) <= limit) expect(parts).toEqual([html]);
    }
  });

  it('numbers the parts "(i/n)" within the limit, and leaves room at the end of the last', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const html = randomHtml(random(seed), 7000);
      const parts = splitHtml(html, 2000, { number: true, reserveLast: 150 });
      expect(parts.length).toBeGreaterThan(2);
      parts.forEach((p, i) => {
        expect(p.endsWith(`\n\n<i>(${i + 1}/${parts.length})</i>`)).toBe(true);
        expect(visibleLength(p)).toBeLessThanOrEqual(i === parts.length - 1 ? 2000 - 150 : 2000);
        seen(p);
      });
    }
    expect(splitHtml('ngắn', 2000, { number: true })).toEqual(['ngắn']);
  });

  it('counts a link as "text (url)" for a channel without HTML', () => {
    const line = '<a href="https://example.org/van-ban/3080-cv-btgtu">Văn bản</a>\n';
    const html = line.repeat(60);
    for (const p of splitHtml(html, 2000, { linksShowUrl: true })) expect(htmlToPlain(p).length).toBeLessThanOrEqual(2000);
    expect(splitHtml(html, 2000).length).toBe(1); // as Telegram counts it, it fits
  });

  it('prefers block, then line, then word boundaries; never cuts inside a tag or an entity', () => {
    // Blocks stay whole when each fits a part.
    expect(splitHtml(['<b>Thứ Hai</b>\nA', '<b>Thứ Ba</b>\nB', '<b>Thứ Tư</b>\nC'], 22)).toEqual([
      '<b>Thứ Hai</b>\nA\n\n<b>Thứ Ba</b>\nB',
      '<b>Thứ Tư</b>\nC',
    ]);
    // A line boundary keeping at least half beats a later word boundary.
    expect(splitHtml('dòng một dài\nhai ba bốn năm sáu', 20)).toEqual(['dòng một dài', 'hai ba bốn năm sáu']);
    // Words, then a tag open at the cut is closed and opened again.
    expect(splitHtml('<b>một hai ba bốn năm</b>', 10)).toEqual(['<b>một hai ba</b>', '<b>bốn năm</b>']);
    expect(splitHtml('<a href="https://x.org/a">một hai ba bốn</a>', 8)).toEqual([
      '<a href="https://x.org/a">một hai</a>',
      '<a href="https://x.org/a">ba bốn</a>',
    ]);
    // No boundary at all: hard cuts, never inside an entity or a surrogate pair.
    const parts = splitHtml('&amp;📄'.repeat(10), 5);
    expect(parts.join('')).toBe('&amp;📄'.repeat(10));
    for (const p of parts) expect(seen(p).length).toBeLessThanOrEqual(5);
    expect(splitHtml('', 10)).toEqual([]);
    expect(splitHtml(['', '  '], 10)).toEqual([]);
  });

  it('clips to a valid beginning ending in "…", at a line when there is one', () => {
    const html = Array.from({ length: 50 }, (_, i) => `<b>${i + 1}.</b> Chi bộ &amp; <i>khu phố</i>`).join('\n');
    const clipped = clipHtml(html, 300);
    expect(visibleLength(clipped)).toBeLessThanOrEqual(300);
    expect(clipped.endsWith('\n…')).toBe(true);
    expect(seen(html).startsWith(seen(clipped).slice(0, -2))).toBe(true);
    expect(clipHtml(html, 300, { measure: 'source' }).length).toBeLessThanOrEqual(300);
    expect(clipHtml('ngắn', 300)).toBe('ngắn');
  });
});
