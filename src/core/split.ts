/**
 * Splitting and clipping the bot's HTML subset (<b>, <i>, <a href>, <code>…, `&lt;`-style entities) to
 * a message limit: the one place that decides where a long text is cut, for every view and channel.
 *
 * Hand-written rather than a library: the cut must follow the platform's own counting (tags stripped,
 * entities decoded, UTF-16 code units, see src/emulator/html.ts), never fall inside a tag or an
 * entity, and carry open tags over to the next part; HTML splitters on npm work on a DOM and count
 * characters differently.
 */

const NAMED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot']);

export interface HtmlToken {
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
export function tagEnd(src: string, pos: number): number | undefined {
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

/** Tags, entities and characters (a surrogate pair stays whole), in order. */
export function* htmlTokens(src: string): Generator<HtmlToken> {
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
    const width = (src.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1;
    yield { start: pos, end: pos + width, visible: width, kind: 'text' };
    pos += width;
  }
}

/** What Telegram counts against its limit for a text sent with parse_mode HTML. */
export function visibleLength(html: string): number {
  let length = 0;
  for (const token of htmlTokens(html)) length += token.visible;
  return length;
}

export interface MeasureOptions {
  /**
   * `visible` (the default) counts what a person sees, as the channel counts it. `source` counts the
   * text as written, tags and entities included: a cautious stand-in where the channel is not known yet.
   */
  measure?: 'visible' | 'source';
  /** The channel shows a link as "text (url)" (no HTML): the url counts too. */
  linksShowUrl?: boolean;
}

export interface SplitOptions extends MeasureOptions {
  /** When there are several parts, each ends in "(i/n)". */
  number?: boolean;
  /** Room to leave free in the last part (what the channel adds there, e.g. numbered choices). */
  reserveLast?: number;
}

/** Kinds of place a text may be cut at, best first. */
type Level = 'block' | 'paragraph' | 'line' | 'sentence' | 'word';

interface Cut {
  /** Index of the first token not kept. */
  at: number;
  /** Size kept (with the reopened tags in front). */
  kept: number;
  /** Open tags at the cut, outermost first (their tokens). */
  open: HtmlToken[];
  /** What kind of boundary it is; none after the last character that fits. */
  level?: Level;
}

const NUMBER_ROOM = { visible: '\n\n(999/999)'.length, source: '\n\n<i>(999/999)</i>'.length };

/** The tokenised text and how to count it. */
class Scanner {
  readonly tokens: HtmlToken[];
  private readonly blockStarts: Set<number>;

  constructor(
    readonly src: string,
    blockStarts: number[],
    private readonly opts: MeasureOptions,
  ) {
    this.tokens = [...htmlTokens(src)];
    this.blockStarts = new Set(blockStarts);
  }

  size(t: HtmlToken): number {
    if (this.opts.measure === 'source') return t.end - t.start;
    if (this.opts.linksShowUrl && t.kind === 'open' && t.name === 'a') {
      const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(this.src.slice(t.start, t.end));
      const url = href?.[1] ?? href?.[2];
      if (url) return visibleLength(url) + ' ()'.length;
    }
    return t.visible;
  }

  /** What closing these tags adds (only what is written counts; a person sees nothing). */
  closing(open: HtmlToken[]): number {
    return this.opts.measure === 'source' ? open.reduce((n, t) => n + t.name!.length + 3, 0) : 0;
  }

  total(): number {
    return this.tokens.reduce((n, t) => n + this.size(t), 0);
  }

  private char(i: number): string {
    const t = this.tokens[i];
    return t && t.kind === 'text' ? this.src[t.start]! : '';
  }

  isSpace(i: number): boolean {
    return /^\s$/.test(this.char(i));
  }

  /** The kinds of cut possible just before token `i` (a whitespace character), best first. */
  levels(i: number): Level[] {
    const c = this.char(i);
    const t = this.tokens[i]!;
    if (c === '\n') {
      const out: Level[] = [];
      if (this.blockStarts.has(t.start)) out.push('block');
      if (this.char(i + 1) === '\n') out.push('paragraph');
      return [...out, 'line', 'word'];
    }
    if (c === ' ' || c === '\t') return /[.!?…:;]/.test(this.src[t.start - 1] ?? '') ? ['sentence', 'word'] : ['word'];
    return [];
  }

  /**
   * The longest stretch from token `from` (inside the `reopened` tags) that fits `budget`, or null
   * when everything left fits; then the best cut in it of the `prefer`red kinds. A block boundary
   * wins wherever it is (a block is split only when it alone does not fit); other kinds only when
   * they keep at least half, else the last character that fits.
   */
  cutFrom(from: number, reopened: HtmlToken[], budget: number, prefer: Level[]): Cut | null {
    let kept = reopened.reduce((n, t) => n + this.size(t), 0);
    let open = [...reopened];
    const best = new Map<Level, Cut>();
    let any: Cut | undefined;
    for (let i = from; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (i > from) for (const level of this.levels(i)) best.set(level, { at: i, kept, open, level });
      let next = open;
      if (t.kind === 'open') next = [...open, t];
      else if (t.kind === 'close') {
        const at = open.map((o) => o.name).lastIndexOf(t.name);
        if (at >= 0) next = [...open.slice(0, at), ...open.slice(at + 1)];
      }
      const size = this.size(t);
      if (kept + size + this.closing(next) > budget) {
        for (const level of prefer) {
          const cut = best.get(level);
          if (cut && (level === 'block' || cut.kept >= budget / 2)) return cut;
        }
        // A single token wider than the budget still goes somewhere, or this would never end.
        return any ?? { at: i + 1, kept: kept + size, open: next };
      }
      kept += size;
      open = next;
      if (size > 0 && t.kind !== 'open') any = { at: i + 1, kept, open };
    }
    return null;
  }

  /** Source of tokens [from, to), trailing whitespace dropped, inside `reopened`, with `open` closed. */
  piece(from: number, to: number, reopened: HtmlToken[], open: HtmlToken[]): string {
    const start = this.tokens[from]?.start ?? this.src.length;
    const end = this.tokens[to]?.start ?? this.src.length;
    const prefix = reopened.map((t) => this.src.slice(t.start, t.end)).join('');
    const suffix = [...open]
      .reverse()
      .map((t) => `</${t.name}>`)
      .join('');
    return prefix + this.src.slice(start, end).trimEnd() + suffix;
  }
}

const SPLIT_LEVELS: Level[] = ['block', 'paragraph', 'line', 'sentence', 'word'];

/**
 * Splits a text into ordered parts that each fit `limit`. `input` is one text (its blank lines are
 * paragraph breaks) or a list of blocks, joined by a blank line and kept whole whenever one fits a
 * part. Cuts fall at a block boundary, else at a paragraph, line, sentence or word boundary that
 * keeps at least half a part, else after the last character that fits; never inside a tag or an
 * entity. Tags open at a cut are closed there and opened again at the start of the next part.
 */
export function splitHtml(input: string | string[], limit: number, opts: SplitOptions = {}): string[] {
  const blocks = (typeof input === 'string' ? [input] : input).filter((b) => b.trim() !== '');
  const blockStarts: number[] = [];
  let src = '';
  for (const b of blocks) {
    if (src) {
      blockStarts.push(src.length);
      src += '\n\n';
    }
    src += b;
  }
  const scan = new Scanner(src, blockStarts, opts);
  if (blocks.length === 0) return [];
  if (scan.total() + (opts.reserveLast ?? 0) <= limit) return [src];

  const budget = limit - (opts.number ? NUMBER_ROOM[opts.measure ?? 'visible'] : 0);
  const reserve = Math.min(opts.reserveLast ?? 0, Math.floor(budget / 2));
  const parts: string[] = [];
  let from = 0;
  let reopened: HtmlToken[] = [];
  while (from < scan.tokens.length) {
    while (scan.isSpace(from)) from++;
    if (from >= scan.tokens.length) break;
    let cut = scan.cutFrom(from, reopened, budget, SPLIT_LEVELS);
    // The rest fits, but not with the room the last part must leave: cut once more.
    if (!cut && reserve) cut = scan.cutFrom(from, reopened, budget - reserve, SPLIT_LEVELS);
    if (!cut) {
      parts.push(scan.piece(from, scan.tokens.length, reopened, []));
      break;
    }
    parts.push(scan.piece(from, cut.at, reopened, cut.open));
    from = cut.at;
    reopened = cut.open;
  }
  if (!opts.number || parts.length < 2) return parts;
  return parts.map((p, i) => `${p}\n\n<i>(${i + 1}/${parts.length})</i>`);
}

const ELLIPSIS = '…';

/**
 * `html` unchanged when it fits `limit`; otherwise its beginning, cut as `splitHtml` would at a line
 * or word boundary that keeps at least half (or after the last character that fits), with the open
 * tags closed and "…" added (on a line of its own after a line cut).
 */
export function clipHtml(html: string, limit: number, opts: MeasureOptions = {}): string {
  const scan = new Scanner(html, [], opts);
  if (scan.total() <= limit) return html;
  const cut = scan.cutFrom(0, [], limit - 2, ['line', 'word'])!; // room for "\n…"
  return scan.piece(0, cut.at, [], cut.open) + (cut.level === 'line' ? `\n${ELLIPSIS}` : ELLIPSIS);
}
