import { type FileHandle, open } from 'node:fs/promises';

/** One line's outcome, as one JSON line of the results file. */
export interface ResultRecord {
  readonly line: number;
  /** The task the line created or updated. */
  readonly id?: string;
  /** update-status: the status the task has now. */
  readonly status?: string;
  /** update-status: the task already had that status (a replay after a kill, or a repeated report). */
  readonly already?: true;
  readonly error?: { readonly code: string; readonly message: string };
  /** Of the line's content: a record whose digest differs belongs to an earlier version of the line. */
  readonly digest: string;
  /** create-tasks: the payload this line was created in (its idempotency key) and how many lines it held. */
  readonly batch?: string;
  readonly batchSize?: number;
}

export const succeeded = (record: ResultRecord) => record.error === undefined;

/**
 * The results file as an append-only log, safe to share. Each chunk's records
 * go in one write followed by fdatasync, so a kill loses at most the chunks in
 * flight. Reading keeps, per line, the last record matching the line's content;
 * a create-tasks record counts only if its whole payload's records are there,
 * so a torn write makes the client re-send exactly that payload (same key, the
 * server answers the first call) rather than a part of it under a new key.
 * Another copy of the client appending to the same file is read in by
 * refresh(): the two share the work instead of repeating it.
 */
export class ResultsLog {
  private readonly byLine = new Map<number, ResultRecord[]>();
  private readonly batchLines = new Map<string, Set<number>>();
  /** Bytes read so far, up to the last complete line. */
  private offset = 0;
  private endsWithNewline = true;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<ResultsLog> {
    const log = new ResultsLog(await open(path, 'a+'), path);
    await log.refresh();
    return log;
  }

  /** The line's result, if it has one for this content. */
  current(line: number, digest: string): ResultRecord | undefined {
    const records = this.byLine.get(line) ?? [];
    for (let i = records.length - 1; i >= 0; i--) {
      const record = records[i]!;
      if (record.digest === digest && this.isWhole(record)) return record;
    }
    return undefined;
  }

  /** Reads what was appended since the last read, by this run or by another. */
  refresh(): Promise<void> {
    return this.serially(() => this.readNew());
  }

  /** Appends the records (those another copy has not recorded already) and syncs them to disk. */
  append(records: readonly ResultRecord[]): Promise<void> {
    return this.serially(async () => {
      await this.readNew();
      const fresh = records.filter((record) => !this.alreadyRecorded(record));
      if (fresh.length === 0) return;
      // A torn last line (a kill mid-write) must not swallow our first record.
      const text = (this.endsWithNewline ? '' : '\n') + fresh.map((record) => JSON.stringify(record)).join('\n') + '\n';
      const { bytesWritten } = await this.file.write(text);
      await this.file.datasync();
      const { size } = await this.file.stat();
      if (size !== this.offset + bytesWritten) return this.readNew();
      // Nobody else wrote meanwhile: take our records as they are instead of parsing them back.
      for (const record of fresh) this.add(record);
      this.offset = size;
      this.endsWithNewline = true;
    });
  }

  close(): Promise<void> {
    return this.serially(() => this.file.close());
  }

  private alreadyRecorded(record: ResultRecord): boolean {
    const current = this.current(record.line, record.digest);
    return current !== undefined && succeeded(current) && current.batch === record.batch;
  }

  private isWhole(record: ResultRecord): boolean {
    if (record.batch === undefined || record.batchSize === undefined) return true;
    return (this.batchLines.get(record.batch)?.size ?? 0) >= record.batchSize;
  }

  private async readNew(): Promise<void> {
    const { size } = await this.file.stat();
    if (size === 0) return;
    if (size > this.offset) {
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await this.file.read(buffer, 0, buffer.length, this.offset);
      const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (end >= 0) {
        for (const text of buffer.subarray(0, end).toString('utf8').split('\n')) this.take(text);
        this.offset += end + 1;
      }
    }
    const last = Buffer.alloc(1);
    await this.file.read(last, 0, 1, size - 1);
    this.endsWithNewline = last[0] === 0x0a;
  }

  /** One line of the file; anything that is not a record (a torn write) is passed over. */
  private take(text: string): void {
    let record: ResultRecord;
    try {
      record = JSON.parse(text) as ResultRecord;
    } catch {
      return;
    }
    if (!Number.isInteger(record?.line) || typeof record.digest !== 'string') return;
    this.add(record);
  }

  private add(record: ResultRecord): void {
    const records = this.byLine.get(record.line);
    if (records) records.push(record);
    else this.byLine.set(record.line, [record]);
    if (record.batch !== undefined) {
      const lines = this.batchLines.get(record.batch);
      if (lines) lines.add(record.line);
      else this.batchLines.set(record.batch, new Set([record.line]));
    }
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const result = this.queue.then(step);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
