import type { ChannelCapabilities } from '../capabilities.js';
import { ZALO_MAX_TEXT_LENGTH } from './types.js';

/**
 * Zalo Bot Platform: plain text of 1–2000 characters, no buttons, no callback queries (so no
 * popups), no message edits, no phone-number sharing. Zalo publishes no sending quota and its 429
 * "Quota exceeded" carries no retry_after, so the default pace is conservative (ZALO_SEND_RATE
 * overrides it); per-chat gaps as on Telegram.
 */
export const zaloCapabilities = {
  maxTextLength: ZALO_MAX_TEXT_LENGTH,
  // No popups: a popup's text becomes a short reply; kept as short as Telegram's.
  maxPopupLength: 200,
  buttons: false,
  edits: false,
  popups: false,
  contactSharing: false,
  html: false,
  pacing: { rate: 5, privateGapMs: 1000, groupGapMs: 3000 },
} as const satisfies ChannelCapabilities;
