import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run batch -- <create-tasks|update-status> <file.jsonl> [options]

  create-tasks    each line a CreateTaskInput:      {"topic": "...", "priority": "HIGH", "options": {...}}
  update-status   each line an UpdateTaskStatusInput: {"id": "...", "status": "RUNNING", "progress": 0.5}
                  (needs an agent token: npm run token -- <email> --scope agent)

Options:
  --out <file>         results, one JSON line per input line (default: <file>.results.jsonl)
  --url <url>          the API (default: http://127.0.0.1:4000/graphql)
  --token <token>      bearer token (default: the ARYA_TOKEN environment variable)
  --concurrency <n>    requests in flight at once, 1 to 64 (default: 2, what the server lets one sender
                       have in flight for large chunks: RATE_LIMIT_EXPENSIVE_IN_FLIGHT)
  --chunk-size <n>     lines per request, 1 to 500 (default: 500)
  --retries <n>        retries of one request on 429, 5xx and network errors (default: 8)
  --timeout <s>        seconds to wait for one answer (default: 60)
  --retry-failed       send again the lines whose recorded result is a failure
  -h, --help

Exit status: 0 every line succeeded, 1 some lines failed (see the results file),
2 usage or a refusal no line can change (token, scope, URL), 3 stopped before the end
(Ctrl-C, server unavailable): run the same command again to continue.`;

export interface CliArgs {
  readonly command: 'create-tasks' | 'update-status';
  readonly file: string;
  readonly out: string;
  readonly url: string;
  readonly token: string;
  readonly concurrency: number;
  readonly chunkSize: number;
  readonly retries: number;
  readonly timeoutMs: number;
  readonly retryFailed: boolean;
}

export type Parsed = { readonly args: CliArgs } | { readonly help: true } | { readonly problem: string };

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
        token: { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        'chunk-size': { type: 'string', default: '500' },
        retries: { type: 'string', default: '8' },
        timeout: { type: 'string', default: '60' },
        'retry-failed': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, file, ...extra] = positionals;
  if (command !== 'create-tasks' && command !== 'update-status') return { problem: `unknown command ${command ?? '(none)'}` };
  if (!file || extra.length > 0) return { problem: 'give exactly one input file' };
  const token = values.token ?? env.ARYA_TOKEN;
  if (!token) return { problem: 'no token: pass --token or set ARYA_TOKEN (npm run token -- <email>)' };
  const numbers = {
    concurrency: integerIn(values.concurrency, 1, 64),
    chunkSize: integerIn(values['chunk-size'], 1, 500),
    retries: integerIn(values.retries, 0, 100),
    timeout: integerIn(values.timeout, 1, 3600),
  };
  const bad = Object.entries(numbers).find(([, value]) => value === undefined);
  if (bad) return { problem: `--${bad[0] === 'chunkSize' ? 'chunk-size' : bad[0]} is out of range or not a whole number` };
  return {
    args: {
      command,
      file,
      out: values.out ?? `${file}.results.jsonl`,
      url: values.url,
      token,
      concurrency: numbers.concurrency!,
      chunkSize: numbers.chunkSize!,
      retries: numbers.retries!,
      timeoutMs: numbers.timeout! * 1000,
      retryFailed: values['retry-failed'],
    },
  };
}

function integerIn(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}
