/**
 * npm run batch -- <create-tasks|update-status> <file.jsonl> [options]
 *
 * The API's batch client: a JSONL file in, a JSONL of results beside it, every
 * line accounted for, safe to kill and run again (README "Batch clients").
 * It talks to the API over HTTP only.
 */
import { createTasksCommand, updateStatusCommand } from './commands.js';
import { USAGE, parseCli } from './args.js';
import { createProgress } from './progress.js';
import { runBatch } from './run.js';
import { exitCodeOf, formatSummary } from './summary.js';

const parsed = parseCli(process.argv.slice(2), process.env);
if ('help' in parsed) {
  console.log(USAGE);
} else if ('problem' in parsed) {
  console.error(`batch: ${parsed.problem}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  const { args } = parsed;
  // First Ctrl-C: finish the chunks in flight, record them, stop. Second: stop at once.
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping: finishing the requests in flight (Ctrl-C again to quit at once)\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const command = args.command === 'create-tasks' ? createTasksCommand : updateStatusCommand;
  try {
    const summary = await runBatch<unknown>({
      ...args,
      command: command as never,
      stop: stop.signal,
      progress: (counts) => createProgress({ ...counts, stream: process.stderr }),
    });
    console.log(formatSummary(summary, args.out));
    process.exitCode = exitCodeOf(summary);
  } catch (error) {
    // The input file cannot be read, the results file cannot be written: nothing was sent.
    console.error(`batch: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
