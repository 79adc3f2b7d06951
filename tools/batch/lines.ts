import { readFile } from 'node:fs/promises';
import { sha256Hex } from '../../src/sha256.js';
import { type Checked, canonicalJson } from './inputs.js';

/** A line that holds a valid input: it will be sent. */
export interface GoodLine<T> {
  /** 1-based, as an editor shows it. */
  readonly line: number;
  readonly input: T;
  /** The input as canonical JSON: what the digest and the idempotency key are made of. */
  readonly canonical: string;
  /** Names this line's content in the results file: an edited line is a new line. */
  readonly digest: string;
}

/** A line refused locally: recorded with its reason, never sent. */
export interface BadLine {
  readonly line: number;
  readonly reason: string;
  readonly digest: string;
}

export interface InputFile<T> {
  /** Of the file's bytes: part of every idempotency key, so another file is another import. */
  readonly digest: string;
  readonly good: readonly GoodLine<T>[];
  readonly bad: readonly BadLine[];
  /** Lines that hold something (blank lines are not inputs and get no result). */
  readonly count: number;
}

export const digestOf = (content: string | Buffer, hexChars = 16) => sha256Hex(content).slice(0, hexChars);

export async function readInputFile<T>(path: string, check: (value: unknown) => Checked<T>): Promise<InputFile<T>> {
  const bytes = await readFile(path);
  const good: GoodLine<T>[] = [];
  const bad: BadLine[] = [];
  const texts = bytes.toString('utf8').split('\n');
  for (const [index, raw] of texts.entries()) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') continue;
    const line = index + 1;
    const parsed = parseLine(text);
    const checked = 'reason' in parsed ? parsed : check(parsed.value);
    if ('reason' in checked) {
      bad.push({ line, reason: checked.reason, digest: digestOf(text) });
    } else {
      const canonical = canonicalJson(checked.input);
      good.push({ line, input: checked.input, canonical, digest: digestOf(canonical) });
    }
  }
  return { digest: digestOf(bytes), good, bad, count: good.length + bad.length };
}

function parseLine(text: string): { value: unknown } | { reason: string } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { reason: 'not valid JSON' };
  }
}
