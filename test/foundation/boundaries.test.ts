import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The layer boundaries live in eslint.config.js (`npm run lint`, run by .ci/run). This lints a few
 * one-line files through the real config, so a boundary that stops biting fails here too.
 */
describe('layer boundaries (eslint.config.js)', () => {
  // Only the import bans run, and without type information, so this takes well under a second.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const banned = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
  };
  const telegraf = "import { Telegraf } from 'telegraf';\n";
  const telegrafTypes = "import type { Update } from 'telegraf/types';\n";
  const handlers = "import { Router } from '../../../commands/router.js';\n";

  it.each([
    ['commands/deadlines/x.ts', telegraf],
    ['commands/x.ts', telegrafTypes],
    ['src/domain/deadlines/x.ts', telegraf],
    ['src/application/deadlines/x.ts', telegrafTypes],
    ['src/cli/context.ts', telegraf],
    ['src/http/server.ts', telegrafTypes],
    ['src/sandbox/transcript.ts', telegrafTypes],
    ['src/domain/deadlines/x.ts', handlers],
    ['src/application/deadlines/x.ts', handlers],
    ['src/domain/x.ts', "export { Router } from '../../commands/router.js';\n"],
    ['commands/deadlines/x.ts', "import type { TelegramUpdate } from '../../src/channels/telegram/types.js';\n"],
    ['src/application/deadlines/x.ts', "import { telegramCapabilities } from '../../channels/telegram/capabilities.js';\n"],
    ['src/app.ts', "import { TelegramChannel } from './channels/telegram/bot.js';\n"],
    ['src/cli/context.ts', "import { telegramBotUsername } from '../channels/telegram/identity.js';\n"],
    ['src/delivery/worker.ts', "import { ZaloSender } from '../channels/zalo/sender.js';\n"],
  ])('refuses %s: %s', async (file, code) => {
    expect(await banned(file, code)).toEqual(['no-restricted-imports']);
  });

  it.each([
    ['src/channels/telegram/x.ts', telegraf],
    ['src/channels/telegram/x.ts', telegrafTypes],
    ['src/emulator/x.ts', telegrafTypes],
    ['test/foundation/x.test.ts', telegraf],
    ['src/domain/deadlines/x.ts', "import { escapeHtml } from '../../core/html.js';\n"],
    ['src/app.ts', "import { createRouter } from '../commands/index.js';\n"],
    ['src/http/server.ts', "import type { TelegramUpdate } from '../channels/telegram/types.js';\n"],
    ['src/app.ts', "import { createChannels } from './channels/registry.js';\n"],
    ['src/cli/context.ts', "import { inviteLinksFor } from '../channels/registry.js';\n"],
  ])('allows %s: %s', async (file, code) => {
    expect(await banned(file, code)).toEqual([]);
  });
});
