import { startApp } from './app.js';
import { anyChannelEnabled } from './channels/registry.js';
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
  // The sandbox opens only when no channel token is set at all (src/channels/registry.ts): a bot
  // configured for any one channel (Telegram, or Zalo alone) starts for real.
  if (!anyChannelEnabled(config)) {
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
    onShutdown(() => sandbox.stop(), config.SHUTDOWN_TIMEOUT_MS);
    return;
  }
  const log = createLogger(config.LOG_LEVEL);
  const app = await startApp({ config, log, features, jobs, routes });
  onShutdown(() => app.stop(), config.SHUTDOWN_TIMEOUT_MS);
}

/**
 * SIGTERM/SIGINT stop the bot gracefully, but within SHUTDOWN_TIMEOUT_MS (default 8 s, under
 * `docker stop`'s 10 s): whatever still hangs then is abandoned and the process exits 1. A claimed
 * message whose send was cut off goes out again after its lease, as after a crash. A second signal
 * exits at once.
 */
function onShutdown(stop: () => Promise<void>, timeoutMs: number): void {
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) {
        console.error(`${sig} again: exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      setTimeout(() => {
        console.error(`Shutdown took longer than SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms): exiting`);
        process.exit(1);
      }, timeoutMs).unref();
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
