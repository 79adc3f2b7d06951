import type { VariablesLimits } from '../config.js';

export interface VariablesProblem {
  readonly message: string;
  readonly extensions: Readonly<Record<string, number>>;
}

/**
 * Measures a request's variables before anything else reads them (the
 * response cache hashes them, Apollo coerces them): their depth, their values
 * (object keys and list items, at every level) and their bytes as JSON.
 * Iterative, and it stops at the first limit broken, so a megabyte of keys
 * or a list nested 100,000 deep costs no more than the limit itself. Null
 * when they are within every limit (or absent, or not JSON: Apollo refuses those).
 */
export function variablesProblem(variables: unknown, limits: VariablesLimits): VariablesProblem | null {
  const value = typeof variables === 'string' ? parsedOrUndefined(variables) : variables;
  if (value === null || typeof value !== 'object') return null;
  let values = 0;
  let bytes = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') {
      bytes += typeof item === 'string' ? Buffer.byteLength(item) + 2 : String(item).length;
    } else {
      if (depth > limits.maxDepth) return problem('nest', 'depth', depth, limits.maxDepth);
      const children: unknown[] = Array.isArray(item) ? item : Object.values(item);
      values += children.length;
      if (values > limits.maxValues) return problem('hold', 'values', values, limits.maxValues);
      // Brackets, a comma per value, and an object's keys with their quotes and colons.
      bytes += 2 + children.length;
      if (!Array.isArray(item)) for (const key of Object.keys(item)) bytes += Buffer.byteLength(key) + 3;
      for (const child of children) pending.push([child, depth + 1]);
    }
    if (bytes > limits.maxBytes) return problem('take', 'bytes', bytes, limits.maxBytes);
  }
  return null;
}

function problem(verb: string, measure: 'depth' | 'values' | 'bytes', count: number, max: number): VariablesProblem {
  const what = { depth: `${count} levels deep`, values: `${count} values or more`, bytes: `${count} bytes or more of JSON` }[measure];
  const maxName = `max${measure[0]!.toUpperCase()}${measure.slice(1)}`;
  return {
    message: `The variables ${verb} ${what}; at most ${max} are allowed`,
    extensions: { [measure]: count, [maxName]: max },
  };
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
