/** Where the run reports as it goes: a bar on a terminal, plain lines elsewhere (CI logs, files). */
export interface Progress {
  /** Lines finished so far (this run and earlier ones) out of all lines. */
  update(done: number, failed: number): void;
  /** A line of its own: a retry, a stop. */
  note(message: string): void;
  finish(): void;
}

export interface ProgressOptions {
  readonly total: number;
  /** Lines already done when the run started: not counted in the rate. */
  readonly doneAtStart: number;
  readonly stream: NodeJS.WriteStream;
}

const BAR_WIDTH = 24;
const TTY_REDRAW_MS = 100;
const PLAIN_EVERY_MS = 2_000;

export function createProgress({ total, doneAtStart, stream }: ProgressOptions): Progress {
  const startedAt = Date.now();
  const tty = stream.isTTY === true;
  let shownAt = 0;
  let last = { done: doneAtStart, failed: 0 };
  let shownCounts = '';

  const describe = ({ done, failed }: typeof last) => {
    const seconds = (Date.now() - startedAt) / 1000;
    const rate = seconds > 0 ? (done - doneAtStart) / seconds : 0;
    const eta = rate > 0 ? `ETA ${formatSeconds((total - done) / rate)}` : 'ETA –';
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const counts = `${done.toLocaleString('en')}/${total.toLocaleString('en')} lines (${percent} %) · ${Math.round(rate).toLocaleString('en')} lines/s · ${eta}`;
    return failed > 0 ? `${counts} · ${failed.toLocaleString('en')} failed` : counts;
  };
  const bar = (done: number) => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  };
  const draw = () => {
    shownCounts = `${last.done}:${last.failed}`;
    stream.write(tty ? `\r\x1b[K${bar(last.done)} ${describe(last)}` : `${describe(last)}\n`);
  };

  return {
    update(done, failed) {
      last = { done, failed };
      const now = Date.now();
      if (now - shownAt < (tty ? TTY_REDRAW_MS : PLAIN_EVERY_MS)) return;
      shownAt = now;
      draw();
    },
    note(message) {
      stream.write(tty ? `\r\x1b[K${message}\n` : `${message}\n`);
      if (tty) draw();
    },
    finish() {
      // A plain log gets the final counts once, not twice.
      if (tty || `${last.done}:${last.failed}` !== shownCounts) draw();
      if (tty) stream.write('\n');
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
