/**
 * npm run trusted-documents:build -- [--from <file, folder or glob>]... [--out <file>]
 *
 * Writes the trusted-documents manifest, `{ "<sha256>": "<document>" }`, one
 * entry per operation of the .graphql files (each with the fragments it uses,
 * printed canonically). Start the server with TRUSTED_DOCUMENTS=<that file>
 * and only those operations run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildManifest } from '../../src/trusted-documents/manifest.js';
import { resolveSources } from '../../src/trusted-documents/sources.js';

const USAGE = 'Usage: npm run trusted-documents:build -- [--from <file, folder or glob>]... [--out <file>]';
const DEFAULT_SOURCES = ['tests/operations/*.graphql', 'tools/explain/examples/*.graphql', 'tools/batch/operations/*.graphql'];
const DEFAULT_OUT = 'trusted-documents.json';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', multiple: true },
      out: { type: 'string', default: DEFAULT_OUT },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const files = await resolveSources(values.from ?? DEFAULT_SOURCES, process.cwd());
  const sources = await Promise.all(files.map(async (file) => ({ path: file, text: await readFile(file, 'utf8') })));
  const manifest = buildManifest(sources);
  await writeFile(values.out, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${Object.keys(manifest).length} trusted documents from ${files.length} files written to ${values.out}`);
}

main().catch((error: unknown) => {
  const usage = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  console.error(`trusted-documents:build failed: ${error instanceof Error ? error.message : String(error)}${usage ? `\n${USAGE}` : ''}`);
  process.exitCode = 1;
});
