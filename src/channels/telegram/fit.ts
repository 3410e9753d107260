/**
 * Making a view fit a channel's message limit. Telegram counts the text a person sees: tags
 * stripped, `&lt;`-style entities decoded, in UTF-16 code units (see src/emulator/html.ts, a port
 * of Telegram's parser). A longer text is refused outright ("message is too long"), so the adapter
 * clips it: at a line boundary when it can, closing the tags left open, ending in "…".
 */

const ELLIPSIS = '…';
const NAMED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot']);

interface Token {
  start: number;
  end: number;
  /** UTF-16 code units a person sees. */
  visible: number;
  kind: 'text' | 'entity' | 'open' | 'close';
  /** Tag name (open/close). */
  name?: string;
}

/** Where an entity starting at `pos` ends, as Telegram decodes it; undefined when the `&` is a literal. */
function entityAt(src: string, pos: number): { end: number; visible: number } | undefined {
  let end = pos + 1;
  if (src[end] === '#') {
    const hex = src[end + 1] === 'x' || src[end + 1] === 'X';
    end += hex ? 2 : 1;
    const digits = (hex ? /^[0-9A-Fa-f]+/ : /^[0-9]+/).exec(src.slice(end, end + 8))?.[0] ?? '';
    end += digits.length;
    const code = digits ? parseInt(digits, hex ? 16 : 10) : 0;
    if (code === 0 || code >= 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || end - pos >= 10) return undefined;
    if (src[end] === ';') end++;
    return { end, visible: code > 0xffff ? 2 : 1 };
  }
  while (/[A-Za-z]/.test(src[end] ?? '')) end++;
  if (!NAMED_ENTITIES.has(src.slice(pos + 1, end))) return undefined;
  if (src[end] === ';') end++;
  return { end, visible: 1 };
}

/** The end of a tag starting at `pos` (after its `>`; quoted attribute values may hold `>`), or undefined. */
function tagEnd(src: string, pos: number): number | undefined {
  let quote: string | undefined;
  for (let i = pos + 1; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return undefined;
}

function* tokens(src: string): Generator<Token> {
  let pos = 0;
  while (pos < src.length) {
    const c = src[pos]!;
    if (c === '<') {
      const end = tagEnd(src, pos);
      if (end !== undefined) {
        const closing = src[pos + 1] === '/';
        const name = /^[^\s>/]*/.exec(src.slice(pos + (closing ? 2 : 1), end))![0].toLowerCase();
        yield { start: pos, end, visible: 0, kind: closing ? 'close' : 'open', name };
        pos = end;
        continue;
      }
    } else if (c === '&') {
      const entity = entityAt(src, pos);
      if (entity) {
        yield { start: pos, end: entity.end, visible: entity.visible, kind: 'entity' };
        pos = entity.end;
        continue;
      }
    }
    // One character; a surrogate pair stays whole.
    const width = (src.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1;
    yield { start: pos, end: pos + width, visible: width, kind: 'text' };
    pos += width;
  }
}

/** What Telegram counts against its limit for a text sent with parse_mode HTML. */
export function visibleLength(html: string): number {
  let length = 0;
  for (const token of tokens(html)) length += token.visible;
  return length;
}

interface Cut {
  /** Source offset to keep up to. */
  pos: number;
  /** Visible characters kept. */
  kept: number;
  /** Tags open at `pos`, outermost first. */
  open: string[];
}

/**
 * `html` unchanged when it fits in `max` visible characters; otherwise its beginning, cut at the
 * last line break that fits (or the last space, or any character when lines and words are very
 * long), never inside a tag or an entity, with the open tags closed and "…" added.
 */
export function fitHtml(html: string, max: number): string {
  if (visibleLength(html) <= max) return html;
  const budget = max - 2; // room for "\n…"
  const open: string[] = [];
  let kept = 0;
  let line: Cut | undefined;
  let word: Cut | undefined;
  let any: Cut = { pos: 0, kept: 0, open: [] };
  for (const token of tokens(html)) {
    if (kept + token.visible > budget) break;
    if (token.kind === 'text' && (html[token.start] === '\n' || html[token.start] === ' ')) {
      const cut = { pos: token.start, kept, open: [...open] };
      if (html[token.start] === '\n') line = cut;
      word = cut;
    }
    kept += token.visible;
    if (token.kind === 'open') open.push(token.name!);
    else if (token.kind === 'close') {
      const at = open.lastIndexOf(token.name!);
      if (at >= 0) open.splice(at, 1);
    }
    if (token.visible > 0) any = { pos: token.end, kept, open: [...open] };
  }
  // A line break far back would throw away most of the message: then a word, then any character.
  const enough = (cut: Cut | undefined): cut is Cut => cut !== undefined && cut.kept >= budget / 2;
  const cut = enough(line) ? line : enough(word) ? word : any;
  const closing = [...cut.open]
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
  return html.slice(0, cut.pos).trimEnd() + closing + (cut === line ? `\n${ELLIPSIS}` : ELLIPSIS);
}

/** Plain text (a popup) cut to `max` UTF-16 code units, ending in "…", never inside a surrogate pair. */
export function fitPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}
