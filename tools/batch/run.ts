import { type Chunk, layoutChunks, settleLines } from './chunks.js';
import { type Command, failure } from './commands.js';
import { readInputFile } from './lines.js';
import type { Progress } from './progress.js';
import { ResultsLog, type ResultRecord, succeeded } from './results.js';
import { StopRun, type TransportOptions } from './transport.js';

export interface RunOptions<T> {
  readonly command: Command<T>;
  readonly file: string;
  /** The results file (appended to, read back on the next run). */
  readonly out: string;
  readonly url: string;
  readonly token: string;
  /** Chunks in flight at once. */
  readonly concurrency: number;
  /** Lines per request, at most the server's 500. */
  readonly chunkSize: number;
  readonly retries: number;
  readonly timeoutMs: number;
  /** Send lines whose recorded result is a failure again (otherwise they count as done). */
  readonly retryFailed: boolean;
  /** Aborted (Ctrl-C): the chunks in flight finish and are recorded, no other starts. */
  readonly stop: AbortSignal;
  readonly progress: (counts: { total: number; doneAtStart: number }) => Progress;
}

export interface RunSummary {
  readonly command: string;
  readonly lines: number;
  /** Lines whose result is a success, from this run or an earlier one. */
  readonly succeeded: number;
  /** Created (or updated) by this run's requests. */
  readonly changedNow: number;
  /** update-status: this run found the task already in the status asked for. */
  readonly alreadyNow: number;
  /** Not sent: a result was on record already (an earlier run, or another copy running at once). */
  readonly skipped: number;
  /** Every line's failure on record, by extensions.code. */
  readonly failedByCode: Readonly<Record<string, number>>;
  /** Lines without a result: the run was stopped; running it again continues. */
  readonly notDone: number;
  readonly stoppedBy?: StopRun | 'interrupted';
  readonly seconds: number;
}

export async function runBatch<T>(options: RunOptions<T>): Promise<RunSummary> {
  const startedAt = Date.now();
  const input = await readInputFile(options.file, options.command.check);
  const results = await ResultsLog.open(options.out);
  try {
    const isDone = (line: { line: number; digest: string }) => {
      const record = results.current(line.line, line.digest);
      return record !== undefined && (succeeded(record) || !options.retryFailed);
    };
    const allLines = [...input.bad, ...input.good];
    const doneAtStart = new Set(allLines.filter(isDone).map((line) => line.line));
    const progress = options.progress({ total: input.count, doneAtStart: doneAtStart.size });
    const tally = { finished: doneAtStart.size, failed: 0, changed: 0, already: 0, skippedLater: 0 };
    const record = async (records: readonly ResultRecord[]) => {
      if (records.length === 0) return;
      await results.append(records);
      for (const r of records) {
        if (!succeeded(r)) tally.failed++;
        else if (r.already) tally.already++;
        else tally.changed++;
      }
      tally.finished += records.length;
      progress.update(tally.finished, tally.failed);
    };

    // Lines refused here are recorded before anything is sent, and never sent.
    const badReason = (reason: string, line: number) => ({ message: `line ${line}: ${reason}`, extensions: { code: 'BAD_USER_INPUT' } });
    await record(input.bad.filter((line) => !isDone(line)).map((line) => failure(line, badReason(line.reason, line.line))));

    const transport: TransportOptions = {
      url: options.url,
      token: options.token,
      retries: options.retries,
      timeoutMs: options.timeoutMs,
      stop: options.stop,
      onRetry: (reason, delayMs) => progress.note(`${reason}: retrying in ${(delayMs / 1000).toFixed(1)} s`),
    };
    const stoppedBy = await runChunks(
      layoutChunks(input.good, options.chunkSize, options.command.taskOf),
      options,
      async (chunk) => {
        await results.refresh();
        const pending = chunk.lines.filter((line) => !isDone(line));
        const sending = new Set(pending);
        // Lines another copy of the client recorded since this run started.
        const doneElsewhere = chunk.lines.filter((line) => !doneAtStart.has(line.line) && !sending.has(line)).length;
        tally.skippedLater += doneElsewhere;
        tally.finished += doneElsewhere;
        if (pending.length > 0) await record(await settleLines(options.command, transport, input.digest, pending));
      },
      (chunk) => chunk.lines.some((line) => !doneAtStart.has(line.line)),
    );
    progress.finish();

    const failedByCode: Record<string, number> = {};
    let succeededCount = 0;
    for (const line of allLines) {
      const result = results.current(line.line, line.digest);
      if (result?.error) failedByCode[result.error.code] = (failedByCode[result.error.code] ?? 0) + 1;
      else if (result) succeededCount++;
    }
    const failedCount = Object.values(failedByCode).reduce((sum, n) => sum + n, 0);
    return {
      command: options.command.name,
      lines: input.count,
      succeeded: succeededCount,
      changedNow: tally.changed,
      alreadyNow: tally.already,
      skipped: doneAtStart.size + tally.skippedLater,
      failedByCode,
      notDone: input.count - succeededCount - failedCount,
      ...(stoppedBy ? { stoppedBy } : {}),
      seconds: (Date.now() - startedAt) / 1000,
    };
  } finally {
    await results.close();
  }
}

/**
 * Runs the chunks `concurrency` at a time, each after the chunks it must
 * follow. Stops starting chunks on the stop signal or when one chunk ends the
 * run (StopRun); the chunks in flight are let finish. Answers why it stopped.
 */
async function runChunks<T>(
  chunks: readonly Chunk<T>[],
  options: Pick<RunOptions<T>, 'concurrency' | 'stop'>,
  runChunk: (chunk: Chunk<T>) => Promise<void>,
  hasWork: (chunk: Chunk<T>) => boolean,
): Promise<StopRun | 'interrupted' | undefined> {
  const waiting = chunks.filter(hasWork);
  const finished = new Set(chunks.filter((chunk) => !hasWork(chunk)).map((chunk) => chunk.index));
  let stoppedBy: StopRun | 'interrupted' | undefined;
  let waiters: (() => void)[] = [];
  const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  const onStop = () => {
    stoppedBy ??= 'interrupted';
    wake();
  };
  options.stop.addEventListener('abort', onStop, { once: true });
  if (options.stop.aborted) onStop();

  const worker = async () => {
    while (!stoppedBy && waiting.length > 0) {
      const ready = waiting.findIndex((chunk) => chunk.after.every((index) => finished.has(index)));
      if (ready < 0) {
        await changed();
        continue;
      }
      const [chunk] = waiting.splice(ready, 1);
      try {
        await runChunk(chunk!);
        finished.add(chunk!.index);
      } catch (error) {
        stoppedBy ??= error instanceof StopRun ? error : new StopRun(String(error), 'refused');
        if (!(error instanceof StopRun)) throw error;
      } finally {
        wake();
      }
    }
  };
  try {
    const outcomes = await Promise.allSettled(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    const crash = outcomes.find((outcome) => outcome.status === 'rejected');
    if (crash) throw crash.reason;
  } finally {
    options.stop.removeEventListener('abort', onStop);
  }
  return stoppedBy;
}
