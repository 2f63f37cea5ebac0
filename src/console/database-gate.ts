/**
 * DuckDB lets one process hold a file at a time, and a file opened twice in one process is not
 * safe either; so every use of a source's database (a run, a catalog read) goes through this
 * gate, one at a time per source.
 */
export class DatabaseGate {
  private readonly tails = new Map<string, Promise<unknown>>();

  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
