import type { MessageEntity } from 'telegraf/types';
import { badRequest } from './errors.js';

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

export interface HtmlOptions {
  /**
   * Reject a bare `&` that does not start an entity. Real Telegram (tdlib) keeps such an `&`
   * as a literal character, but the docs require escaping it, and a bare `&` usually means
   * user input was interpolated unescaped, which is a bug worth failing on in tests.
   */
  strictAmpersand: boolean;
}

export class EntityParseError extends Error {}

const SUPPORTED_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
]);
const SIMPLE_ENTITY: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
};
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** tdlib's notion of whitespace inside tags. */
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\0';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);
const isNameTokenChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9.-]$/.test(c);

interface OpenTag {
  tag: string;
  argument: string;
  offset: number;
}

/**
 * Port of tdlib's `parse_html` (the parser behind `parse_mode=HTML`): same accepted syntax,
 * same error messages and UTF-8 byte offsets. Offsets of entities are in UTF-16 code units,
 * which is exactly JavaScript string indexing.
 */
class HtmlParser {
  private pos = 0;
  private out = '';
  private readonly stack: OpenTag[] = [];
  private readonly entities: MessageEntity[] = [];

  constructor(
    private readonly src: string,
    private readonly opts: HtmlOptions,
  ) {}

  parse(): FormattedText {
    const { src } = this;
    const special = /[<&]/g;
    while (this.pos < src.length) {
      special.lastIndex = this.pos;
      const next = special.exec(src);
      const stop = next ? next.index : src.length;
      this.out += src.slice(this.pos, stop);
      this.pos = stop;
      if (!next) break;
      if (next[0] === '&') this.readCharacterEntity();
      else if (src[this.pos + 1] === '/') this.readEndTag();
      else this.readStartTag();
    }
    const unclosed = this.stack.at(-1);
    if (unclosed) this.fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
    return { text: this.out, entities: sortEntities(this.entities) };
  }

  private fail(message: string, at?: number): never {
    const suffix = at === undefined ? '' : ` at byte offset ${Buffer.byteLength(this.src.slice(0, at))}`;
    throw new EntityParseError(message + suffix);
  }

  private readCharacterEntity(): void {
    const decoded = decodeEntity(this.src, this.pos);
    if (decoded) {
      this.out += decoded.char;
      this.pos = decoded.end;
      return;
    }
    if (this.opts.strictAmpersand) this.fail('Unescaped "&" (use &amp;)', this.pos);
    this.out += '&';
    this.pos++;
  }

  private readStartTag(): void {
    const { src } = this;
    const begin = this.pos;
    let i = begin + 1;
    while (i < src.length && !isSpace(src[i]) && src[i] !== '>') i++;
    if (i >= src.length) this.fail('Unclosed start tag', begin);
    const tag = src.slice(begin + 1, i).toLowerCase();
    if (!SUPPORTED_TAGS.has(tag)) this.fail(`Unsupported start tag "${tag}"`, begin);
    this.pos = i;
    const argument = this.readAttributes(tag, begin);
    if (tag === 'span' && argument !== 'spoiler') this.fail('Tag "span" must have class "tg-spoiler"', begin);
    this.pos++; // '>'
    this.stack.push({ tag, argument, offset: this.out.length });
  }

  /** Reads attributes up to the closing `>` and returns the one that matters for the tag. */
  private readAttributes(tag: string, begin: number): string {
    const { src } = this;
    let argument = '';
    for (;;) {
      while (isSpace(src[this.pos])) this.pos++;
      if (src[this.pos] === '>') return argument;
      const nameStart = this.pos;
      while (this.pos < src.length && !isSpace(src[this.pos]) && src[this.pos] !== '=' && src[this.pos] !== '>') this.pos++;
      const name = src.slice(nameStart, this.pos).toLowerCase();
      if (!name) this.fail(`Empty attribute name in the tag "${tag}"`, nameStart);
      while (isSpace(src[this.pos])) this.pos++;
      if (src[this.pos] !== '=') {
        if (tag === 'blockquote' && name === 'expandable') {
          argument = 'expandable';
          continue;
        }
        this.fail(`Expected equal sign in declaration of an attribute of the tag "${tag}"`, nameStart);
      }
      this.pos++;
      while (isSpace(src[this.pos])) this.pos++;
      if (this.pos >= src.length) this.fail(`Unclosed start tag "${tag}"`, begin);
      const value = this.readAttributeValue();
      if (this.pos >= src.length) this.fail('Unclosed start tag', begin);
      argument = tagArgument(tag, name, value) ?? argument;
    }
  }

  private readAttributeValue(): string {
    const { src } = this;
    const quote = src[this.pos];
    if (quote !== '"' && quote !== "'") {
      const start = this.pos;
      while (isNameTokenChar(src[this.pos])) this.pos++;
      if (this.pos < src.length && !isSpace(src[this.pos]) && src[this.pos] !== '>') {
        this.fail('Unexpected end of name token', start);
      }
      return src.slice(start, this.pos).toLowerCase();
    }
    let value = '';
    this.pos++;
    while (this.pos < src.length && src[this.pos] !== quote) {
      const decoded = src[this.pos] === '&' ? decodeEntity(src, this.pos) : undefined;
      value += decoded ? decoded.char : src[this.pos];
      this.pos = decoded ? decoded.end : this.pos + 1;
    }
    if (src[this.pos] === quote) this.pos++;
    return value;
  }

  private readEndTag(): void {
    const { src } = this;
    const begin = this.pos;
    const open = this.stack.at(-1);
    if (!open) this.fail('Unexpected end tag', begin);
    let i = begin + 2;
    while (i < src.length && !isSpace(src[i]) && src[i] !== '>') i++;
    const name = src.slice(begin + 2, i).toLowerCase();
    while (isSpace(src[i])) i++;
    if (src[i] !== '>') this.fail('Unclosed end tag', begin);
    if (name && name !== open.tag) {
      this.fail(
        `Unmatched end tag at byte offset ${Buffer.byteLength(src.slice(0, begin))}, expected "</${open.tag}>", found "</${name}>"`,
      );
    }
    this.stack.pop();
    this.pos = i + 1;
    this.closeEntity(open);
  }

  private closeEntity({ tag, argument, offset }: OpenTag): void {
    const length = this.out.length - offset;
    if (length <= 0) return;
    const simple = SIMPLE_ENTITY[tag];
    if (simple) {
      this.entities.push({ type: simple, offset, length } as MessageEntity);
    } else if (tag === 'a') {
      const url = normalizeUrl(argument || this.out.slice(offset));
      if (url) this.entities.push({ type: 'text_link', offset, length, url });
    } else if (tag === 'tg-emoji') {
      this.entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: argument });
    } else if (tag === 'blockquote') {
      const type = argument === 'expandable' ? 'expandable_blockquote' : 'blockquote';
      this.entities.push({ type, offset, length } as MessageEntity);
    } else {
      this.closeCodeOrPre(tag, argument, offset, length);
    }
  }

  /** `<pre><code class="language-x">` (in either nesting order) collapses into one `pre` entity. */
  private closeCodeOrPre(tag: string, language: string, offset: number, length: number): void {
    const last = this.entities.at(-1);
    const sameRange = last !== undefined && last.offset === offset && last.length === length;
    if (tag === 'pre' && sameRange && last.type === 'code' && 'language' in last) {
      this.entities.pop();
      this.entities.push({ type: 'pre', offset, length, language: String(last.language) });
    } else if (tag === 'code' && sameRange && last.type === 'pre' && language) {
      this.entities.pop();
      this.entities.push({ type: 'pre', offset, length, language });
    } else if (tag === 'pre') {
      this.entities.push({ type: 'pre', offset, length });
    } else {
      // A language on a bare <code> is remembered only to merge with an enclosing <pre>.
      this.entities.push(language ? ({ type: 'code', offset, length, language } as MessageEntity) : { type: 'code', offset, length });
    }
  }
}

function tagArgument(tag: string, attribute: string, value: string): string | undefined {
  if (tag === 'a' && attribute === 'href') return value;
  if (tag === 'code' && attribute === 'class' && value.startsWith('language-')) return value.slice('language-'.length);
  if (tag === 'span' && attribute === 'class' && value.startsWith('tg-')) return value.slice('tg-'.length);
  if (tag === 'tg-emoji' && attribute === 'emoji-id') return value;
  return undefined;
}

/** Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#NN;` and `&#xHH;` (the `;` is optional, as in tdlib). */
export function decodeEntity(src: string, pos: number): { char: string; end: number } | undefined {
  let end = pos + 1;
  let char: string | undefined;
  if (src[end] === '#') {
    const hex = src[end + 1] === 'x' || src[end + 1] === 'X';
    end += hex ? 2 : 1;
    const digits = (hex ? /^[0-9A-Fa-f]+/ : /^[0-9]+/).exec(src.slice(end, end + 8))?.[0] ?? '';
    end += digits.length;
    const code = digits ? parseInt(digits, hex ? 16 : 10) : 0;
    const isSurrogate = code >= 0xd800 && code <= 0xdfff;
    if (code === 0 || code >= 0x10ffff || isSurrogate || end - pos >= 10) return undefined;
    char = String.fromCodePoint(code);
  } else {
    while (isAlpha(src[end])) end++;
    char = NAMED_ENTITIES[src.slice(pos + 1, end)];
    if (char === undefined) return undefined;
  }
  if (src[end] === ';') end++;
  return { char, end };
}

/** Mirrors tdlib: scheme-less domains get `http://`, anything not link-like yields no entity. */
function normalizeUrl(raw: string): string | undefined {
  const url = raw.trim();
  if (/^tg:\/\//i.test(url)) return url;
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  try {
    const parsed = new URL(candidate);
    if (!/^https?:$/.test(parsed.protocol) || !parsed.hostname.includes('.')) return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  for (const e of entities) if (e.type === 'code' && 'language' in e) delete (e as { language?: string }).language;
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

export function parseHtml(src: string, opts: HtmlOptions): FormattedText {
  return new HtmlParser(src, opts).parse();
}

const TRIMMED = /^[ \t\r\n\v\f]+|[ \t\r\n\v\f]+$/g;

/** Telegram strips leading and trailing whitespace from message text and clips entities to match. */
export function trimFormatted({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.replace(/^[ \t\r\n\v\f]+/, '').length;
  const trimmed = text.replace(TRIMMED, '');
  const clipped = entities.flatMap((e) => {
    const start = Math.max(e.offset - lead, 0);
    const end = Math.min(e.offset + e.length - lead, trimmed.length);
    return end > start ? [{ ...e, offset: start, length: end - start }] : [];
  });
  return { text: trimmed, entities: clipped };
}

export interface TextOptions extends HtmlOptions {
  parseMode?: string | undefined;
  entities?: MessageEntity[] | undefined;
  maxLength: number;
}

/** Turns `text` + `parse_mode` into what Telegram stores, validating like sendMessage does. */
export function formatMessageText(raw: string | undefined, opts: TextOptions): FormattedText {
  if (raw === undefined || raw === '') throw badRequest('message text is empty');
  const formatted = trimFormatted(parseByMode(raw, opts));
  if (formatted.text === '') throw badRequest('message text is empty');
  if (formatted.text.length > opts.maxLength) throw badRequest('message is too long');
  return formatted;
}

function parseByMode(raw: string, opts: TextOptions): FormattedText {
  const mode = opts.parseMode?.toLowerCase();
  if (mode === 'html') {
    try {
      return parseHtml(raw, opts);
    } catch (err) {
      if (err instanceof EntityParseError) throw badRequest(`can't parse entities: ${err.message}`);
      throw err;
    }
  }
  // Markdown modes are accepted but not interpreted: the text is stored as sent.
  if (mode === undefined || mode === '' || mode === 'markdown' || mode === 'markdownv2') {
    return { text: raw, entities: mode ? [] : (opts.entities ?? []) };
  }
  throw badRequest('unsupported parse_mode');
}
