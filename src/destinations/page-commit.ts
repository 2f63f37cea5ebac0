/**
 * How one page of a load is committed: its statements and its table's bookmark in one
 * transaction, so a crash leaves the page either committed with its state or absent.
 */
import type { SqlDriver } from './sql-driver.js';

/**
 * Runs `write` (if any) and then `statements` in one transaction ending with `stateSql`, rolled
 * back if any fails; without `write`, in one round trip. Without `stateSql` (a replace holds its
 * state until finish) and `write`, the statements run on their own. An append still gets a
 * transaction, because an appender outside one commits inside its synchronous flush, on the main
 * thread, whereas a COMMIT statement runs on the database's own threads.
 */
export async function commitPage(
  driver: SqlDriver,
  statements: readonly string[],
  stateSql: string | undefined,
  write?: () => Promise<void>,
): Promise<void> {
  if (stateSql === undefined && !write) {
    if (statements.length > 0) await driver.script(statements);
    return;
  }
  const end = [...statements, ...(stateSql === undefined ? [] : [stateSql]), 'COMMIT'];
  try {
    if (write) {
      await driver.script(['BEGIN TRANSACTION']);
      await write();
    }
    const closing = write ? end : ['BEGIN TRANSACTION', ...end];
    if (driver.commitThenSettle) return await driver.commitThenSettle(closing);
    await driver.script(closing);
  } catch (error) {
    // A page's transaction holds no DDL but its temporary staging table, so nothing that
    // the destination's catalog of tables recorded is undone. (A failure after the COMMIT, in
    // `commitThenSettle`, leaves no transaction to roll back.)
    await driver.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await driver.afterCommit?.();
}
