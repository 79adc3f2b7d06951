import { readFile } from 'node:fs/promises';
import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { fragmentsOf, type Fragments } from '../limits/fragments.js';
import { sha256Hex } from '../sha256.js';

/** `{ "<sha256 hex of the document>": "<document>" }`, what `npm run trusted-documents:build` writes. */
export type Manifest = Readonly<Record<string, string>>;

/** The Apollo persisted-query convention: the hex SHA-256 of the document text, exactly as sent. */
export const documentHash = (text: string) => sha256Hex(text);

/**
 * Each operation of a document as its own trusted document, in one canonical
 * text: graphql's `print` of the operation followed by the fragments it
 * uses (also through other fragments) in name order. Two files that differ
 * only in spacing, comments or fragment order give the same texts.
 */
export function operationDocuments(document: DocumentNode, fragments: Fragments = fragmentsOf(document)): { name: string | undefined; text: string }[] {
  return document.definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      const used = [...usedFragments(operation, fragments)].sort().map((name) => fragments.get(name)!);
      const definitions: DefinitionNode[] = [operation, ...used];
      return { name: operation.name?.value, text: print({ kind: Kind.DOCUMENT, definitions }) };
    });
}

function usedFragments(operation: OperationDefinitionNode, fragments: Fragments): Set<string> {
  const used = new Set<string>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (used.has(name) || !fragment) return;
        used.add(name);
        pending.push(fragment);
      },
    });
  }
  return used;
}

/** The manifest of every operation in the sources; fragments may be defined in any of them. */
export function buildManifest(sources: readonly { path: string; text: string }[]): Manifest {
  const parsed = sources.map((source) => ({ path: source.path, document: parseSource(source.path, source.text) }));
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { path, document } of parsed) {
    for (const [name, fragment] of fragmentsOf(document)) {
      if (fragments.has(name) && print(fragments.get(name)!) !== print(fragment)) {
        throw new Error(`${path}: fragment ${name} is defined twice, differently`);
      }
      fragments.set(name, fragment);
    }
  }
  const entries = parsed.flatMap(({ document }) => operationDocuments(document, fragments).map(({ text }) => [documentHash(text), text]));
  return Object.fromEntries(entries.sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

function parseSource(path: string, text: string): DocumentNode {
  try {
    return parse(text);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/** Reads a manifest and checks every entry: a key must be its document's hash. */
export async function loadManifest(path: string): Promise<Manifest> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`TRUSTED_DOCUMENTS: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new Error(`TRUSTED_DOCUMENTS: ${path} must hold one JSON object of sha256 hash -> document`);
  }
  for (const [hash, text] of Object.entries(manifest)) {
    if (typeof text !== 'string' || documentHash(text) !== hash) {
      throw new Error(`TRUSTED_DOCUMENTS: ${path}: the entry ${hash} is not the sha256 of its document`);
    }
  }
  return manifest as Manifest;
}
