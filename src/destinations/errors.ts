/** Failures of a destination; messages never carry passwords. */
export class DestinationError extends Error {
  override readonly name: string = 'DestinationError';
}

/** The DuckDB file is open in another process: DuckDB allows one writer process per file. */
export class DestinationLockedError extends DestinationError {
  override readonly name = 'DestinationLockedError';
}

/** The target string is neither a DuckDB path nor a postgres:// URL, or a table is misconfigured. */
export class DestinationConfigError extends DestinationError {
  override readonly name = 'DestinationConfigError';
}

/** A load was used after finish/abort, or begun on a table that was not prepared. */
export class DestinationStateError extends DestinationError {
  override readonly name = 'DestinationStateError';
}
