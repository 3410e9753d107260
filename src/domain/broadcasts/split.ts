import { escapeHtml, unescapeHtml } from '../../core/html.js';
import { splitHtml } from '../../core/split.js';

/**
 * What a notice is packed into, as written (tags included), before it knows its recipients' channels:
 * within the widest channel's limit with room for "(2/3)" markers. The outbox splits it further for a
 * channel with a smaller limit (src/delivery/outbox.ts).
 */
export const MESSAGE_BUDGET = 4000;

/**
 * Cuts plain text into pieces whose escaped HTML is at most `max` long, at the last paragraph,
 * line, sentence or word boundary in the second half of the room, or hard if there is none.
 */
export function splitPlain(text: string, max: number): string[] {
  return splitHtml(escapeHtml(text.trim()), max, { measure: 'source' }).map(unescapeHtml);
}

/**
 * Packs HTML blocks into as few messages as fit in `max`, joined by a blank line; a block too long
 * for one message is spread over several at its line breaks.
 */
export function packBlocks(blocks: string[], max = MESSAGE_BUDGET): string[] {
  return splitHtml(blocks, max, { measure: 'source' });
}
