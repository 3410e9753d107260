import { parseInviteCode } from '../../src/domain/inviteCodes.js';
import type { CommandContext } from '../types.js';
import { startFeature } from './start.js';

/**
 * A join code sent on its own (channels without deep links, where people type what the invite
 * says) does exactly what `/start <code>` does. Returns false for any other text.
 */
export async function onJoinCode(ctx: CommandContext, text: string): Promise<boolean> {
  if (!parseInviteCode(text)) return false;
  const start = startFeature.commands?.find((c) => c.name === 'start');
  if (start?.access !== 'anyone') return false;
  await start.run(ctx, text);
  return true;
}
