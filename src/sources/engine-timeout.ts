// How long the engine may stay silent before a request gives up: its own module, so the flag
// table can say it in --help without loading the engine client (dockerode) to do so.

/** How long the engine may stay silent: no answer, or no bytes of the export. */
export const DEFAULT_TIMEOUT_MS = 60_000;
