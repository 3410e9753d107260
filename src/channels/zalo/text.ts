/**
 * The bot's messages are Telegram's HTML subset (<b>, <i>, <u>, <s>, <a href>, <code>, <pre>,
 * <blockquote>, see src/core/html.ts); Zalo shows plain text only. This turns one into the other:
 * no tags, entities decoded, links kept readable as "text (url)", the line structure kept.
 * Entities are decoded by the `entities` library in its strict mode (a `;` is required), so a raw
 * "&" in a URL such as "?a=1&not=2" is never read as the legacy entity "&not".
 */
import { decodeHTMLStrict } from 'entities';
import type { OutgoingMessage } from '../../core/messages.js';
import { tagEnd } from '../../core/split.js';
import { ZALO_MAX_TEXT_LENGTH } from './types.js';

const QUOTE_PREFIX = '│ ';
const ELLIPSIS = '…';

/** Tags whose content stands on lines of its own. */
const BLOCK_TAGS = new Set(['pre', 'blockquote']);

interface OpenLink {
  href: string;
  /** Where the link's text starts in the output. */
  from: number;
}

/** Plain text of a message in the bot's HTML subset. */
export function htmlToZaloText(html: string): string {
  let out = '';
  let pendingBreak = false;
  const links: OpenLink[] = [];
  const quotes: number[] = [];
  const write = (text: string): void => {
    if (!text) return;
    if (pendingBreak && !text.startsWith('\n') && out !== '' && !out.endsWith('\n')) out += '\n';
    pendingBreak = false;
    out += text;
  };
  const breakLine = (): void => {
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };

  let pos = 0;
  while (pos < html.length) {
    const tag = html[pos] === '<' ? readTag(html, pos) : undefined;
    if (!tag) {
      const next = html.indexOf('<', pos + 1);
      const end = next < 0 ? html.length : next;
      write(decodeHTMLStrict(html.slice(pos, end)));
      pos = end;
      continue;
    }
    pos = tag.end;
    if (tag.name === 'a') {
      if (!tag.closing) links.push({ href: decodeHTMLStrict(attr(tag.source, 'href') ?? ''), from: out.length });
      else {
        const link = links.pop();
        if (link) out = out.slice(0, link.from) + readableLink(out.slice(link.from), link.href);
      }
    } else if (tag.name === 'br') {
      write('\n');
    } else if (BLOCK_TAGS.has(tag.name)) {
      breakLine();
      if (tag.name === 'blockquote') {
        if (!tag.closing) quotes.push(out.length);
        else {
          const from = quotes.pop();
          if (from !== undefined) out = out.slice(0, from) + quoted(out.slice(from));
        }
      }
      if (tag.closing) pendingBreak = true;
    }
    // Every other tag (<b>, <i>, <u>, <s>, <code>, <span>, <tg-spoiler>…) is dropped, its text kept.
  }
  return out.trim();
}

/** "text (url)", or the url alone when the text shows it already (in full, or cut short with "…"). */
function readableLink(text: string, href: string): string {
  const shown = text.trim();
  if (!href || /^tg:/i.test(href)) return text;
  if (!shown) return href;
  const bare = shown.endsWith(ELLIPSIS) ? shown.slice(0, -ELLIPSIS.length) : shown;
  const cutShort = bare !== shown && href.startsWith(bare);
  if (cutShort) return text.replace(shown, href);
  if (shown === href || href === `mailto:${shown}` || href === `tel:${shown}`) return text;
  return text.replace(shown, `${shown} (${href})`);
}

function quoted(block: string): string {
  const body = block.replace(/\n+$/, '');
  return body
    .split('\n')
    .map((line) => QUOTE_PREFIX + line)
    .join('\n');
}

interface Tag {
  name: string;
  closing: boolean;
  source: string;
  end: number;
}

/** A tag starting at `pos` (quoted attribute values may hold `>`), or undefined when the `<` is text. */
function readTag(src: string, pos: number): Tag | undefined {
  const head = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(src.slice(pos, pos + 40));
  if (!head) return undefined;
  const end = tagEnd(src, pos);
  if (end === undefined) return undefined;
  return { name: head[2]!.toLowerCase(), closing: head[1] === '/', source: src.slice(pos, end), end };
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/**
 * `text` unchanged when it has at most `max` characters (UTF-16 code units, the stricter count);
 * otherwise its beginning up to the last line break that keeps at least half (else the last space,
 * else any character outside a surrogate pair), ending in "…". A safety net: a view that can get
 * longer is split into several messages before it reaches the sender.
 */
export function fitZaloText(text: string, max = ZALO_MAX_TEXT_LENGTH): string {
  if (text.length <= max) return text;
  const budget = max - 2; // room for "\n…"
  const head = text.slice(0, budget + 1);
  const line = head.lastIndexOf('\n');
  if (line >= budget / 2) return `${text.slice(0, line).trimEnd()}\n${ELLIPSIS}`;
  const space = head.lastIndexOf(' ');
  if (space >= budget / 2) return `${text.slice(0, space).trimEnd()}${ELLIPSIS}`;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/** The text sendMessage gets for a channel-neutral message: plain, and within Zalo's limit. */
export function zaloText(msg: OutgoingMessage, max = ZALO_MAX_TEXT_LENGTH): string {
  return fitZaloText(htmlToZaloText(msg.text), max);
}
