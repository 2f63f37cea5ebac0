/**
 * How wide a keyset window is, in IDs: about one batch of rows at the row density of the windows
 * read so far (a caller's filter may match one row in a hundred), within bounds.
 */
import { CHAIN_LENGTH } from './chained-keyset.js';

/** A window may grow at most this much over the previous one (density from few rows is noisy). */
const MAX_GROWTH = 4;
/** A window shared out of a short remaining range spans at least this many pages of IDs. */
const MIN_WINDOW_PAGES = 10;
/** No window spans more IDs than this, however sparse the rows. */
const MAX_WINDOW_IDS = 10_000_000;

/** Sizes windows by the row density of the finished ones. */
export class WindowSizer {
  private seenRows = 0;
  private seenIds = 0;
  private lastSize = 0;
  /** Rows a window aims at: one batch (a dense window's last page ends at its bottom ID). */
  private readonly batchRows: number;

  constructor(private readonly pageSize: number) {
    this.batchRows = pageSize * CHAIN_LENGTH;
  }

  /** Rows per ID of the finished windows; 1 (the most there can be) before any finished. */
  density(): number {
    return this.seenIds > 0 ? Math.min(1, this.seenRows / this.seenIds) : 1;
  }

  finished(rows: number, ids: number): void {
    this.seenRows += rows;
    this.seenIds += ids;
  }

  next(): number {
    let size = this.batchRows;
    if (this.seenIds > 0) {
      const d = this.density();
      size = d > 0 ? this.batchRows / d : MAX_WINDOW_IDS;
      size = Math.min(size, this.lastSize * MAX_GROWTH, MAX_WINDOW_IDS);
    }
    this.lastSize = Math.max(this.pageSize, Math.round(size));
    return this.lastSize;
  }
}

/** The top of the window that starts after `next`, below the range's `end`. */
export function windowTop(
  next: number,
  end: number,
  slots: number,
  sizer: WindowSizer,
  pageSize: number,
): number {
  // What is left is shared among the free slots, so even a list of one batch of rows is read by
  // several windows at once; a window is never smaller than a few pages.
  const share = Math.max(MIN_WINDOW_PAGES * pageSize, Math.ceil((end - next) / slots));
  const wanted = Math.min(end, next + Math.min(sizer.next(), share));
  // Window tops lie a whole number of pages below `end`: in a list without gaps every page of a
  // window is then full and its last one ends exactly at its bottom, reading no row of the window
  // below (the lowest window ends at the list's first row, where nothing is below).
  return end - Math.floor((end - wanted) / pageSize) * pageSize;
}
