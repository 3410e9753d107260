import { startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { features, jobs, routes } from './features.js';
import { createLogger } from './logger.js';
import { loadDotEnv } from './dotenv.js';
import { sandboxRefusal } from './sandbox/refusal.js';

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
  if (!config.TELEGRAM_BOT_TOKEN) {
    const refusal = sandboxRefusal(config);
    if (refusal) {
      console.error(refusal);
      process.exit(1);
    }
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
