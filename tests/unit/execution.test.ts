import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CompiledQueries } from '../../src/execution/compiled-queries.js';
import { acceptedEncoding } from '../../src/http/compression.js';

const schema = buildSchema('type Query { hello: String }');

describe('CompiledQueries', () => {
  it('compiles a document once and answers the same compiled query after', () => {
    const queries = new CompiledQueries(schema);
    const document = parse('query A { hello }');
    const first = queries.get('hash-a', document, 'A');
    expect(first).toBeDefined();
    expect(queries.get('hash-a', document, 'A')).toBe(first);
    expect(queries.size).toBe(1);
  });

  it('keeps one compiled query per operation of a document', () => {
    const queries = new CompiledQueries(schema);
    const document = parse('query A { hello } query B { hello }');
    expect(queries.get('hash-ab', document, 'A')).not.toBe(queries.get('hash-ab', document, 'B'));
    expect(queries.size).toBe(2);
  });

  it('answers undefined for what graphql-jit cannot compile, tells it once, and does not try again', () => {
    const refused: unknown[] = [];
    const queries = new CompiledQueries(schema, (error) => refused.push(error));
    const document = parse('query A { hello }');
    expect(queries.get('hash-x', document, 'Missing')).toBeUndefined();
    expect(queries.get('hash-x', document, 'Missing')).toBeUndefined();
    expect(refused).toHaveLength(1);
  });
});

describe('acceptedEncoding', () => {
  const of = (header?: string) => acceptedEncoding({ headers: header === undefined ? {} : { 'accept-encoding': header } });

  it('prefers brotli when both are accepted alike, and follows the q-values otherwise', () => {
    expect([of('gzip, deflate, br'), of('gzip'), of('br;q=0.5, gzip;q=0.9'), of('x-gzip')]).toEqual(['br', 'gzip', 'gzip', 'gzip']);
  });

  it('answers nothing for no header, identity, deflate only, or q=0', () => {
    expect([of(), of(''), of('identity'), of('deflate'), of('gzip;q=0, br;q=0')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
