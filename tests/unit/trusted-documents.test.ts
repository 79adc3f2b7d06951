import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, documentHash, loadManifest, operationDocuments } from '../../src/trusted-documents/manifest.js';
import { globToRegExp, resolveSources } from '../../src/trusted-documents/sources.js';
import { TrustedDocuments } from '../../src/trusted-documents/trusted-documents.js';

const textsOf = (source: string) => operationDocuments(parse(source)).map((operation) => operation.text);

describe('operationDocuments', () => {
  it('gives each operation its own document with the fragments it uses, in name order', () => {
    const source = `
      query A { viewer { ...Zed ...Alpha } }
      fragment Zed on User { id }
      fragment Alpha on User { email ...Zed }
      fragment Unused on User { displayName }
      query B { viewer { id } }`;

    expect(textsOf(source)).toEqual([
      'query A {\n  viewer {\n    ...Zed\n    ...Alpha\n  }\n}\n\nfragment Alpha on User {\n  email\n  ...Zed\n}\n\nfragment Zed on User {\n  id\n}',
      'query B {\n  viewer {\n    id\n  }\n}',
    ]);
  });

  it('gives one text whatever the layout, comments and fragment order of the source', () => {
    const tidy = 'query A { viewer { ...F ...G } } fragment F on User { id } fragment G on User { email }';
    const messy = '# a comment\nfragment G on User{email}\nquery A{viewer{...F,...G}}\n\n\nfragment F on User { id }';

    expect(textsOf(messy)).toEqual(textsOf(tidy));
  });
});

describe('buildManifest', () => {
  it('keys each operation by the sha256 hex of its text', () => {
    const manifest = buildManifest([{ path: 'a.graphql', text: 'query A { viewer { id } }' }]);
    const text = 'query A {\n  viewer {\n    id\n  }\n}';

    expect(manifest).toEqual({ [createHash('sha256').update(text).digest('hex')]: text });
    expect(documentHash(text)).toBe(Object.keys(manifest)[0]);
  });

  it('finds a fragment defined in another file', () => {
    const manifest = buildManifest([
      { path: 'query.graphql', text: 'query A { viewer { ...Me } }' },
      { path: 'fragments.graphql', text: 'fragment Me on User { id }' },
    ]);

    expect(Object.values(manifest)).toEqual([expect.stringContaining('fragment Me on User')]);
  });

  it('refuses two different fragments of one name, naming the file', () => {
    const sources = [
      { path: 'one.graphql', text: 'fragment Me on User { id }' },
      { path: 'two.graphql', text: 'fragment Me on User { email }' },
    ];

    expect(() => buildManifest(sources)).toThrow(/two\.graphql: fragment Me/);
  });

  it('names the file of a syntax error', () => {
    expect(() => buildManifest([{ path: 'broken.graphql', text: 'query {' }])).toThrow(/^broken\.graphql: Syntax Error/);
  });
});

describe('loadManifest', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'arya-manifest-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const written = async (name: string, content: string) => {
    const file = path.join(folder, name);
    await writeFile(file, content);
    return file;
  };

  it('reads a manifest whose keys are the hashes of their documents', async () => {
    const manifest = buildManifest([{ path: 'a.graphql', text: 'query A { viewer { id } }' }]);

    expect(await loadManifest(await written('good.json', JSON.stringify(manifest)))).toEqual(manifest);
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['an entry that is not the hash of its document', JSON.stringify({ ['0'.repeat(64)]: '{ viewer { id } }' })],
    ['an entry that is not a string', JSON.stringify({ [documentHash('1')]: 1 })],
  ])('refuses %s, naming TRUSTED_DOCUMENTS', async (_kind, content) => {
    await expect(loadManifest(await written('bad.json', content))).rejects.toThrow(/^TRUSTED_DOCUMENTS: /);
  });

  it('refuses a file that does not exist', async () => {
    await expect(loadManifest(path.join(folder, 'missing.json'))).rejects.toThrow(/TRUSTED_DOCUMENTS: cannot read/);
  });
});

describe('the persisted-query store of trusted documents', () => {
  const text = 'query A {\n  viewer {\n    id\n  }\n}';
  const trusted = new TrustedDocuments({ [documentHash(text)]: text }, 5_000);
  const store = trusted.persistedQueryStore();

  it('answers a manifest document by its hash, with or without Apollo’s key prefix', async () => {
    expect(await store.get(`apq:${documentHash(text)}`)).toBe(text);
    expect(await store.get(documentHash(text))).toBe(text);
    expect(await store.get(`apq:${'0'.repeat(64)}`)).toBeUndefined();
  });

  it('registers nothing', async () => {
    await store.set(`apq:${documentHash('{ viewer { email } }')}`, '{ viewer { email } }');

    expect(await store.get(`apq:${documentHash('{ viewer { email } }')}`)).toBeUndefined();
  });
});

describe('globToRegExp', () => {
  it.each([
    ['*.graphql', 'tasks.graphql', true],
    ['*.graphql', 'nested/tasks.graphql', false],
    ['**/*.graphql', 'tasks.graphql', true],
    ['**/*.graphql', 'a/b/tasks.graphql', true],
    ['task-?.graphql', 'task-1.graphql', true],
    ['task-?.graphql', 'task-10.graphql', false],
    ['*.graphql', 'tasks.graphqls', false],
    ['a.b.graphql', 'aXb.graphql', false],
  ])('%s matches %s: %s', (glob, file, matches) => {
    expect(globToRegExp(glob).test(file)).toBe(matches);
  });
});

describe('resolveSources', () => {
  const root = new URL('../..', import.meta.url).pathname;

  it('expands folders and globs into sorted, distinct files', async () => {
    const files = await resolveSources(['tools/explain/examples', 'tools/explain/examples/w1-*.graphql'], root);

    expect(files.map((file) => path.relative(root, file))).toEqual([
      'tools/explain/examples/w1-task.graphql',
      'tools/explain/examples/w2-task-page.graphql',
      'tools/explain/examples/w3-task-tree.graphql',
      'tools/explain/examples/w4-conversations.graphql',
    ]);
  });

  it('refuses a pattern that names no file', async () => {
    await expect(resolveSources(['tools/explain/examples/nothing-*.graphql'], root)).rejects.toThrow(/nothing-\*\.graphql/);
  });
});
