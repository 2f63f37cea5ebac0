/**
 * Cron expressions (the `schedule` key, `schedule --cron`, the console's trigger) are checked here
 * once, so every place that takes one explains a bad one the same way: what is wrong and a valid
 * example. croner parses them; its own messages ("CronPattern: invalid configuration format…")
 * name its internals, so they are translated.
 */
import { Cron } from 'croner';

const FIELDS = 'minute hour day-of-month month day-of-week';
export const CRON_EXAMPLE = '"0 3 * * *" is every day at 03:00, "*/30 * * * *" every 30 minutes';

const RANGES: Record<string, string> = {
  second: 'second must be 0-59',
  minute: 'minute must be 0-59',
  hour: 'hour must be 0-23',
  day: 'day-of-month must be 1-31',
  month: 'month must be 1-12 or jan-dec',
  weekday: 'day-of-week must be 0-7 or sun-sat',
  year: 'year must be 1-9999',
};

/** What is wrong with `pattern` in plain words, or undefined when croner accepts it. */
export function cronProblem(pattern: string): string | undefined {
  try {
    new Cron(pattern, { paused: true }).stop();
    return undefined;
  } catch (error) {
    return `${JSON.stringify(pattern)} is not a cron expression: ${reason(pattern, error)}. A cron expression has five fields, ${FIELDS}; e.g. ${CRON_EXAMPLE}`;
  }
}

function reason(pattern: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const parts = pattern.trim() === '' ? 0 : pattern.trim().split(/\s+/).length;
  if (/exactly five, six, or seven/.test(message)) {
    return parts === 0 ? 'it is empty' : `it has ${parts} field${parts === 1 ? '' : 's'}`;
  }
  const range = /Invalid value for (\w+)/.exec(message);
  if (range?.[1]) return `a value is out of range (${RANGES[range[1]] ?? `bad ${range[1]}`})`;
  const illegal = /configuration entry (\d+) \(([^)]*)\) contains illegal characters/.exec(message);
  if (illegal)
    return `${JSON.stringify(illegal[2])} is not a number, range (1-5), list (1,15), step (*/10) or name`;
  if (/stepping/i.test(message)) return 'a step (*/N) must be a whole number from 1';
  return 'a field is malformed';
}
