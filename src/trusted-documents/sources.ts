import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The .graphql files named by `--from` arguments: a file, a folder (every
 * .graphql file under it), or a glob (`*`, `**`, `?`; Node 20 has no
 * fs.glob). Sorted and without repeats; a pattern that names no file is an
 * error, so that a typo cannot leave operations out of the manifest.
 */
export async function resolveSources(patterns: readonly string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matched = await filesOf(pattern, cwd);
    if (matched.length === 0) throw new Error(`--from ${pattern} names no .graphql file`);
    for (const file of matched) files.add(file);
  }
  return [...files].sort();
}

async function filesOf(pattern: string, cwd: string): Promise<string[]> {
  const segments = pattern.split(/[\\/]/);
  const firstGlob = segments.findIndex((segment) => /[*?]/.test(segment));
  if (firstGlob === -1) {
    const target = path.resolve(cwd, pattern);
    const info = await stat(target).catch(() => null);
    if (!info) return [];
    return info.isDirectory() ? (await walk(target)).filter((file) => file.endsWith('.graphql')) : [target];
  }
  const base = path.resolve(cwd, segments.slice(0, firstGlob).join('/') || '.');
  const matcher = globToRegExp(segments.slice(firstGlob).join('/'));
  const files = await walk(base).catch(() => []);
  return files.filter((file) => matcher.test(path.relative(base, file).split(path.sep).join('/')));
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  // parentPath arrived in Node 20.12; 20.11 calls it path.
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath ?? (entry as { path: string }).path, entry.name));
}

/** `**` crosses folders, `*` and `?` stay within one name. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
