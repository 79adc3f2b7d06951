/** A mistake in a command's arguments: the usage line follows the message. */
export class UsageError extends Error {}

const isUsageError = (error: unknown) =>
  error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));

/**
 * Runs a command's main and turns its outcome into the exit code: what main
 * answers, 2 for bad arguments (with the usage line), 1 for any other failure.
 */
export function runCommand(name: string, usage: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? process.exitCode ?? 0;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name} failed: ${message}\n${isUsageError(error) ? `${usage}\n` : ''}`);
      process.exitCode = isUsageError(error) ? 2 : 1;
    },
  );
}
