const ELLIPSIS = '…';

/**
 * `text` in at most `max` characters (code points, so a Vietnamese letter or an emoji counts once),
 * cut after the last whole word with "…" when it is longer: "… — Chi bộ 1 (Phòng Tuyên…", never
 * "(Phòng Tuyên tru". A single word longer than half the room (a link, a long code) is cut inside.
 * Every button label, list title and quoted input is shortened with this one helper.
 *
 * Hand-written: lodash.truncate does the same but would add a dependency for these few lines.
 */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return ELLIPSIS;
  const room = chars.slice(0, max - 1);
  // The cut is at a word boundary when the next character starts a new word.
  const atBoundary = /\s/.test(chars[max - 1]!);
  let end = room.length;
  if (!atBoundary) {
    let space = -1;
    for (let i = room.length - 1; i >= 0; i--) {
      if (/\s/.test(room[i]!)) {
        space = i;
        break;
      }
    }
    if (space >= (max - 1) / 2) end = space;
  }
  // No dangling separator or opening bracket before the ellipsis: "Tuyên giáo —…" reads badly.
  const kept = room
    .slice(0, end)
    .join('')
    .replace(/[\s\-–—(,;:/]+$/u, '');
  return `${kept}${ELLIPSIS}`;
}
