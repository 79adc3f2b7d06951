import { createHash } from 'node:crypto';
import { Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ATTACKS, ATTACK_NAMES, attackNamed, nested, type AttackTarget, type HttpAttack } from '../../tools/abuse/attacks.js';

const target: AttackTarget = { token: 'attacker-token', taskId: '00000000-0000-4000-8000-000000000001', scriptTaskId: '00000000-0000-4000-8000-000000000002', runTag: 'abuse-test' };
const DEFAULT_MAX_TOKENS = 5_000;
const DEFAULT_BODY_LIMIT = 1_048_576;

/** The first `count` requests an attack sends, parsed. */
function firstRequests(name: string, count: number) {
  const next = (attackNamed(name) as HttpAttack).requests(target);
  return Array.from({ length: count }, () => {
    const request = next();
    return { ...request, parsed: JSON.parse(request.body) as { query: string; variables?: Record<string, unknown>; extensions?: { persistedQuery: { sha256Hash: string } } } };
  });
}

const rootFields = (query: string) => ((parse(query).definitions[0] as OperationDefinitionNode).selectionSet.selections as FieldNode[]);

function depthOf(value: unknown): number {
  let depth = 0;
  for (let v = value; typeof v === 'object' && v !== null; v = (v as { a: unknown }).a) depth++;
  return depth;
}

describe('the abuse bench attacks', () => {
  it('define every named mode once', () => {
    expect(ATTACKS.map((a) => a.name)).toEqual([...ATTACK_NAMES]);
    expect(() => attackNamed('nope')).toThrow();
  });

  it('send the validation bomb as 416 unaliased copies of one field, within the token limit, without a token, never twice the same', () => {
    const [first, second] = firstRequests('validation-bomb', 2);
    const fields = rootFields(first!.parsed.query);
    expect(fields).toHaveLength(416);
    expect(fields.every((f) => f.kind === Kind.FIELD && f.name.value === 'tasks' && f.alias === undefined)).toBe(true);
    expect(() => parse(first!.parsed.query, { maxTokens: DEFAULT_MAX_TOKENS })).not.toThrow();
    expect(first!.token).toBeUndefined();
    expect(second!.parsed.query).not.toBe(first!.parsed.query);
  });

  it('register a fresh persisted query of 32,000 characters of comment each time, with its true hash, half of them anonymously', () => {
    const requests = firstRequests('apq-flood', 2);
    for (const { parsed } of requests) {
      expect(parsed.query.length).toBeGreaterThan(32_000);
      expect(rootFields(parsed.query).map((f) => f.name.value)).toEqual(['__typename']);
      expect(parsed.extensions!.persistedQuery.sha256Hash).toBe(createHash('sha256').update(parsed.query).digest('hex'));
    }
    expect(requests[0]!.parsed.query).not.toBe(requests[1]!.parsed.query);
    expect(requests.map((r) => r.token)).toEqual(['attacker-token', undefined]);
  });

  it('read every script content of the prepared task', () => {
    const [request] = firstRequests('huge-scripts', 1);
    expect(request!.parsed.variables).toEqual({ id: target.scriptTaskId });
    expect(request!.parsed.query).toMatch(/scripts \{ content \}/);
  });

  it('send about 1 MB of unused variables (under the body limit), a variable and task options nested 3,000 levels', () => {
    const [unused, deep, options] = firstRequests('variables', 3);
    expect(unused!.body.length).toBeGreaterThan(990_000);
    expect(unused!.body.length).toBeLessThan(DEFAULT_BODY_LIMIT);
    expect(Object.keys(unused!.parsed.variables!).length).toBeGreaterThan(80_000);
    expect(depthOf(deep!.parsed.variables!.deep)).toBe(3_000);
    expect(depthOf((options!.parsed.variables!.input as { options: unknown }).options)).toBe(3_000);
    expect(depthOf(nested(5))).toBe(5);
  });

  it('create 500 tasks per request, tagged for deletion, and page at a new offset every time', () => {
    const [batch] = firstRequests('create-tasks', 1);
    const inputs = batch!.parsed.variables!.inputs as { topic: string }[];
    expect(inputs).toHaveLength(500);
    expect(inputs.every((input) => input.topic.startsWith(target.runTag))).toBe(true);
    const pages = firstRequests('offset-flood', 50).map((r) => JSON.stringify(r.parsed.variables));
    expect(new Set(pages).size).toBe(50);
  });
});
