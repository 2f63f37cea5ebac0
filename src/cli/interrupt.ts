/**
 * Ctrl-C (SIGINT) and SIGTERM in the product commands. Before anything durable is under way the
 * command ends at once; during a sync the first signal stops it after the current pages (what is
 * loaded stays, with its bookmarks) and a second one ends it at once. Either way the last line is
 * "interrupted" and the exit code 130, the shell's code for a Ctrl-C.
 */
import { explainFailure } from '../sync/explain-failure.js';

export const INTERRUPTED_EXIT_CODE = 130;

export interface Interruptible {
  readonly signal: AbortSignal;
  /** From now on the first signal asks for a graceful stop instead of ending at once. */
  graceful(): void;
  dispose(): void;
}

export function interruptible(out: NodeJS.WritableStream = process.stderr): Interruptible {
  const controller = new AbortController();
  let graceful = false;
  const onSignal = () => {
    if (!graceful || controller.signal.aborted) {
      out.write(`${explainFailure(new DOMException('interrupted', 'AbortError'))}\n`);
      process.exit(INTERRUPTED_EXIT_CODE);
    }
    out.write(
      'stopping after the current pages; what is loaded stays and the next sync goes on from there (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    graceful() {
      graceful = true;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
