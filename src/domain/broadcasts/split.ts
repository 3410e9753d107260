import { escapeHtml } from '../../core/html.js';

/** Telegram's limit is 4096 characters; the rest is room for "(2/3)" markers. */
export const MESSAGE_BUDGET = 4000;

function escapedLength(ch: string): number {
  return ch === '&' ? 5 : ch === '<' || ch === '>' ? 4 : ch.length;
}

/** How many UTF-16 units of `s` fit in `max` once escaped, never cutting a surrogate pair. */
function fitting(s: string, max: number): number {
  let used = 0;
  let i = 0;
  for (const ch of s) {
    const len = escapedLength(ch);
    if (used + len > max) break;
    used += len;
    i += ch.length;
  }
  return i;
}

/**
 * Cuts plain text into pieces whose escaped HTML is at most `max` long, at the last paragraph,
 * line, sentence or word boundary in the second half of the room, or hard if there is none.
 */
export function splitPlain(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest && escapeHtml(rest).length > max) {
    const room = fitting(rest, max);
    const head = rest.slice(0, room);
    let cut = room;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const at = head.lastIndexOf(sep);
      if (at >= room / 2) {
        cut = at + sep.length;
        break;
      }
    }
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Packs HTML blocks (each whole lines of tags) into as few messages as fit in `max`, joined by a
 * blank line; a block too long for one message is spread over several at its line breaks.
 */
export function packBlocks(blocks: string[], max = MESSAGE_BUDGET): string[] {
  const pieces: string[] = [];
  for (const b of blocks) {
    if (b.length <= max) pieces.push(b);
    else pieces.push(...packLines(b.split('\n'), max));
  }
  const parts: string[] = [];
  let cur = '';
  for (const p of pieces) {
    if (cur && cur.length + 2 + p.length > max) {
      parts.push(cur);
      cur = p;
    } else cur = cur ? `${cur}\n\n${p}` : p;
  }
  if (cur) parts.push(cur);
  return parts;
}

function packLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const l of lines) {
    if (cur && cur.length + 1 + l.length > max) {
      out.push(cur);
      cur = l;
    } else cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push(cur);
  return out;
}
