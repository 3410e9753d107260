/**
 * Reads `.env` from the working directory into the environment, as the README tells operators to
 * write it; variables already set in the environment win. Node's own loader, so no dependency.
 */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
