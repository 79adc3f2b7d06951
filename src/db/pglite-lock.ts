import { readFile, rm, writeFile } from 'node:fs/promises';

/**
 * PGlite keeps its data in a folder that only one process may open: a second
 * one (`npm run token` while `npm start` runs, say) would corrupt it. The lock
 * file holds the owner's pid; a lock whose process is gone is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = `${dataDir}.lock`;
  const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(owner) && owner !== process.pid && processIsAlive(owner)) {
    throw new Error(
      `The embedded database ${dataDir} is in use by process ${owner} (npm start?). Stop it first, or set DATABASE_URL.`,
    );
  }
  await writeFile(file, String(process.pid));
  return () => rm(file, { force: true });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
