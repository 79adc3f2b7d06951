import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createSchema, printSchemaSdl } from '../../src/schema.js';

/**
 * `npm run schema:emit` writes schema.graphql from the code; `npm run schema:check`
 * fails when the committed file and the code differ (CI runs it).
 */
const SCHEMA_FILE = new URL('../../schema.graphql', import.meta.url);

const { values } = parseArgs({ options: { write: { type: 'boolean' }, check: { type: 'boolean' } } });
const sdl = printSchemaSdl(await createSchema());

if (values.write) {
  await writeFile(SCHEMA_FILE, sdl);
  console.log('schema.graphql written');
} else {
  const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('schema.graphql is out of date with the code: run npm run schema:emit and commit it');
    process.exit(1);
  }
  console.log('schema.graphql matches the code');
}
