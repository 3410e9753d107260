import { createHash, randomInt } from 'node:crypto';

/**
 * The short join code every invite also gets, for channels without deep links (Zalo): the person
 * types it to the bot. 8 characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L),
 * about 39 bits; with at most 5 wrong codes per chat per hour (`joinAttempts.ts`), single use and the
 * invite's expiry, guessing is hopeless. `randomInt` draws without modulo bias, so no library is needed.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/** A new code in canonical form (8 characters, no dash). Always has a digit, so an ordinary word is never taken for one. */
export function newInviteCode(): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (/\d/.test(code)) return code;
  }
}

/** How a code is shown to people: `XXXX-XXXX`. */
export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A text that is meant as a code: 8 letters or digits with at least one digit, case-insensitive,
 * dashes and spaces ignored. Returns the canonical form, or null. A mistyped code (an O for a 0) still
 * counts as a code, a wrong one.
 */
export function parseInviteCode(text: string): string | null {
  const s = text.replace(/[\s\-‐‑–—]/g, '').toUpperCase();
  return s.length === CODE_LENGTH && /^[A-Z0-9]+$/.test(s) && /\d/.test(s) ? s : null;
}

/** Stored instead of the code, like the invite token's hash. */
export function hashInviteCode(code: string): string {
  return createHash('sha256').update(`invite-code:${code}`).digest('hex');
}
