import { features } from '../features.js';
import type { CliRegistration } from './registration.js';

export type { CliRegistration } from './registration.js';

/** The features' `npm run cli -- …` commands, from their manifests. */
export const cliRegistrations: CliRegistration[] = features.flatMap((f) => f.cli ?? []);
