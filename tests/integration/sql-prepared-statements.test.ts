import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparingClient, StatementNames } from '../../src/db/prepared-statements.js';
import { backendKind } from '../helpers/backend.js';

// PGlite has no pool and no named statements: this is about pg's connections to PostgreSQL.
describe.runIf(backendKind() === 'postgres')('prepared statements on PostgreSQL connections', () => {
  let pool: pg.Pool;
  let names: StatementNames;
  beforeAll(() => {
    names = new StatementNames(2);
    pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1, Client: preparingClient(names) });
  });
  afterAll(() => pool.end());

  const prepared = async (client: pg.PoolClient) =>
    (await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements order by statement')).rows;

  it('prepares a parameterised statement once per connection and answers it like an unnamed one', async () => {
    const client = await pool.connect();
    try {
      const text = 'select $1::int + 1 as n';
      expect((await client.query(text, [41])).rows).toEqual([{ n: 42 }]);
      expect((await client.query(text, [1])).rows).toEqual([{ n: 2 }]);
      expect(await prepared(client)).toEqual([{ name: names.nameOf(text), statement: text }]);
    } finally {
      client.release();
    }
  });

  it('leaves statements without parameters (BEGIN, DDL, several statements at once) unprepared', async () => {
    const client = await pool.connect();
    try {
      const before = await prepared(client);
      await client.query('begin');
      await client.query('select 1; select 2');
      await client.query('commit');
      expect(await prepared(client)).toEqual(before);
    } finally {
      client.release();
    }
  });

  it('runs a text past the cap unnamed, so a connection never keeps more than the cap', async () => {
    const client = await pool.connect();
    try {
      await client.query('select $1::text as t', ['a']);
      const third = 'select $1::bigint as b';
      expect((await client.query(third, [7])).rows).toEqual([{ b: '7' }]);
      expect(names.nameOf(third)).toBeUndefined();
      expect((await prepared(client)).map((row) => row.statement)).not.toContain(third);
      expect((await prepared(client)).length).toBe(2);
    } finally {
      client.release();
    }
  });

  it('prepares again on a new connection (the old one closed: pool recycling, a PostgreSQL restart)', async () => {
    const old = await pool.connect();
    old.release(true);
    const client = await pool.connect();
    try {
      expect(await prepared(client)).toEqual([]);
      expect((await client.query('select $1::int + 1 as n', [2])).rows).toEqual([{ n: 3 }]);
      expect((await prepared(client)).length).toBe(1);
    } finally {
      client.release();
    }
  });

  it('reports a statement PostgreSQL cannot parse, keeps nothing of it, and the connection serves on', async () => {
    const own = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1, Client: preparingClient(new StatementNames()) });
    const client = await own.connect();
    try {
      const broken = 'select $1::int + no_such_column as n';
      await expect(client.query(broken, [1])).rejects.toMatchObject({ code: '42703' });
      await expect(client.query(broken, [1])).rejects.toMatchObject({ code: '42703' });
      expect(await prepared(client)).toEqual([]);
      expect((await client.query('select $1::int + 1 as n', [4])).rows).toEqual([{ n: 5 }]);
    } finally {
      client.release();
      await own.end();
    }
  });
});
