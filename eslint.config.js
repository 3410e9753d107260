// @ts-check
// `npm run lint`. typescript-eslint's recommended rules everywhere, three type-aware promise rules on the
// bot's own code (src/, commands/), and the layer boundaries of docs/DEVELOPING.md as import bans.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Only the Telegram adapter and the Bot API emulator speak telegraf; everything else is channel-neutral. */
const telegrafPath = {
  name: 'telegraf',
  message: 'Only src/channels/telegram/ (and the emulator) may use telegraf: go through the channel adapter (src/channels/telegram/).',
};
const telegrafPattern = {
  group: ['telegraf/*'],
  message:
    'Only src/channels/telegram/ (and the emulator) may use telegraf: import TelegramUpdate etc. from src/channels/telegram/types.js.',
};
/** The root `commands/` folder (chat handlers), reached by any number of `../`. */
const commandsPattern = {
  regex: '^(\\.\\./)+commands(/|$)',
  message: 'src/domain/ and src/application/ never import the chat handlers in commands/: move what both need into src/.',
};

/** The Telegram adapter itself: the channel-neutral layers reach a channel only through src/core/messages.ts. */
const channelPattern = {
  regex: '(^|/)channels/',
  message: 'commands/, src/core/, src/domain/ and src/application/ are channel-neutral: use the types of src/core/messages.ts.',
};

/** A channel's own folder (src/channels/telegram/…): the app, the CLI and delivery reach channels through src/channels/registry.ts. */
const channelFolderPattern = {
  regex: '(^|/)channels/[^/]+/',
  message: 'Reach channels through src/channels/registry.ts (ChannelAdapter, createChannels): only the registry names a channel.',
};

/** The layer boundaries (docs/DEVELOPING.md); test/foundation/boundaries.test.ts checks they bite. */
const boundaries = [
  {
    files: ['**/*.ts'],
    ignores: ['src/channels/**', 'src/emulator/**', 'test/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [telegrafPath], patterns: [telegrafPattern] }] },
  },
  {
    files: ['src/*.ts', 'src/cli/**/*.ts', 'src/delivery/**/*.ts', 'src/scheduling/**/*.ts', 'src/db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [telegrafPath], patterns: [telegrafPattern, channelFolderPattern] }] },
  },
  {
    files: ['commands/**/*.ts', 'src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [telegrafPath], patterns: [telegrafPattern, channelPattern] }] },
  },
  {
    files: ['src/domain/**/*.ts', 'src/application/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [telegrafPath], patterns: [telegrafPattern, channelPattern, commandsPattern] }] },
  },
];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'dist.*/',
      'test/output-build-*/',
      'src/db/generated/',
      'node_modules/',
      'data/',
      'data-*/',
      'test/output/',
      'scratch/',
      'src/sandbox/public/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `let x; … () => x …; x = make()`: a closure that reads the variable before its one assignment.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Stripping control characters from text people send is deliberate here.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Type-aware: a promise nobody awaits loses its error (an unhandled rejection, or a reply that never comes).
    files: ['src/**/*.ts', 'commands/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  boundaries,
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON bodies and event payloads loosely.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
