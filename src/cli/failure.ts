/** An expected failure: its message is shown as is and the command exits with status 1. */
export class CliFailure extends Error {}
