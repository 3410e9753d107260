/**
 * Making a view fit a channel's message limit. Telegram counts the text a person sees: tags
 * stripped, `&lt;`-style entities decoded, in UTF-16 code units (see src/emulator/html.ts, a port
 * of Telegram's parser). A longer text is refused outright ("message is too long"), so the adapter
 * clips it with the shared cutter (src/core/split.ts): at a line boundary when it can, closing the
 * tags left open, ending in "…".
 */
import { clipHtml } from '../../core/split.js';

export { visibleLength } from '../../core/split.js';

const ELLIPSIS = '…';

/**
 * `html` unchanged when it fits in `max` visible characters; otherwise its beginning, cut at the
 * last line break that fits (or the last space, or any character when lines and words are very
 * long), never inside a tag or an entity, with the open tags closed and "…" added.
 */
export function fitHtml(html: string, max: number): string {
  return clipHtml(html, max);
}

/** Plain text (a popup) cut to `max` UTF-16 code units, ending in "…", never inside a surrogate pair. */
export function fitPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}
