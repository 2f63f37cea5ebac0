/** How `verify` and `sync --verify` print a verification: the table, or the report as one JSON line. */
import type { VerifyReport } from '../sync/verify.js';
import { formatVerifyTable } from '../sync/verify-summary.js';

export function printVerification(report: VerifyReport, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`verified ${report.destination}\n${formatVerifyTable(report)}\n`);
}
