import { startApp } from './app.js';
import { anyChannelEnabled } from './channels/registry.js';
import { ConfigError, loadConfig } from './config.js';
import { features, jobs, routes } from './features.js';
import { createLogger } from './logger.js';
import { loadDotEnv } from './dotenv.js';

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // The sandbox opens only when no channel token is set at all (src/channels/registry.ts): a bot
  // configured for any one channel (Telegram, or Zalo alone) starts for real.
  if (!anyChannelEnabled(config)) {
    // No token: the demo sandbox, quiet so that its address is the one line printed. Loaded only
    // here, so a real bot never loads the emulator and the demo data.
    const { startSandbox } = await import('./sandbox/sandbox.js');
    const sandbox = await startSandbox(config, createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn'));
    console.log(`Sandbox: ${sandbox.url}`);
    onShutdown(() => sandbox.stop());
    return;
  }
  const log = createLogger(config.LOG_LEVEL);
  const app = await startApp({ config, log, features, jobs, routes });
  onShutdown(() => app.stop());
}

function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      stop().then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
