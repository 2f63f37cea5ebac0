/**
 * A stream state that cannot be used: a state file or STATE message that does not parse, or a
 * bookmark that is not what its stream writes. One class for every layer, so callers (the CLI,
 * Singer mode, the console) recognise it by `instanceof`, wherever it was thrown.
 */
export class StateError extends Error {
  constructor(where: string, problem: string, fix?: string) {
    super(`${where}: ${problem}${fix ? `. ${fix}` : ''}`);
    this.name = 'StateError';
  }
}
