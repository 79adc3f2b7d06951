import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../src/auth/tokens.js';
import { ScopingCreateConversationOverGetDocument, ScopingIntrospectionDocument, ScopingViewerDocument } from '../generated/graphql.js';
import { startTestApi, type GraphQLResponse, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((error) => error.extensions?.code);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const signingKey = () => new TextEncoder().encode(api.config.jwtSecret!);

const viewerWith = (authorization: string) => api.execute(ScopingViewerDocument, {}, { headers: { authorization } });

describe('a request without an Authorization header', () => {
  it('answers data fields with UNAUTHENTICATED', async () => {
    const result = await api.execute(ScopingViewerDocument, {});

    expect(result.status).toBe(401);
    expect(result.data).toBeNull();
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors![0]!.path).toEqual(['viewer']);
  });

  it('may still introspect the schema', async () => {
    const result = await api.execute(ScopingIntrospectionDocument, {});

    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('a request with an Authorization header', () => {
  it('answers viewer with the signed-in user', async () => {
    const user = await api.createUser('Ada Lovelace');

    const result = await api.execute(ScopingViewerDocument, {}, { as: user });

    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ viewer: { id: user.id, email: user.email, displayName: 'Ada Lovelace' } });
  });

  it('answers viewer for a token whose sub is the user’s id in upper case', async () => {
    const user = await api.createUser('Upper Case');
    const token = await api.tokens.sign(user.id.toUpperCase());

    const result = await viewerWith(`Bearer ${token}`);

    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ viewer: { id: user.id, email: user.email, displayName: 'Upper Case' } });
  });

  it.each([
    ['another scheme', (token: string) => `Basic ${Buffer.from(`user:${token}`).toString('base64')}`],
    ['the scheme without a token', () => 'Bearer'],
    ['the scheme and a blank', () => 'Bearer '],
    ['a bare token', (token: string) => token],
    ['a token after two spaces', (token: string) => `Bearer  ${token}`],
    ['a token with a space inside', (token: string) => `Bearer ${token.slice(0, 10)} ${token.slice(10)}`],
  ])('refuses %s as UNAUTHENTICATED with HTTP 401', async (_shape, header) => {
    const user = await api.createUser();

    const result = await viewerWith(header(user.token));

    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
  });

  const badTokens: [string, (user: TestUser) => Promise<string>][] = [
    ['an expired token', (user) => api.tokens.sign(user.id, '-1s')],
    [
      'a token that expired an hour ago',
      (user) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(user.id)
          .setIssuedAt(nowSeconds() - 7200)
          .setExpirationTime(nowSeconds() - 3600)
          .sign(signingKey()),
    ],
    ['a token signed with another secret', (user) => createTokenIssuer('another-secret-that-is-long-enough-987654').sign(user.id)],
    [
      'an unsigned alg: none token',
      async (user) => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: user.id, exp: nowSeconds() + 3600 })}.`,
    ],
    [
      'an HS512 token with the right secret',
      (user) => new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject(user.id).setExpirationTime('1h').sign(signingKey()),
    ],
    [
      'a token without exp',
      (user) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuedAt().sign(signingKey()),
    ],
    ['a token without sub', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(signingKey())],
    ['a token whose sub is not a UUID', () => api.tokens.sign('not-a-uuid')],
    ['a token for a user id that does not exist', () => api.tokens.sign(randomUUID())],
    ['a token with a tampered payload', async (user) => tamper(await api.tokens.sign(user.id), randomUUID())],
  ];

  it('accepts a token built by hand with the server’s secret, HS256, sub and exp', async () => {
    const user = await api.createUser('Hand Made');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setExpirationTime('1h').sign(signingKey());

    const result = await viewerWith(`Bearer ${token}`);

    expect(result.status).toBe(200);
    expect(result.data).toEqual({ viewer: { id: user.id, email: user.email, displayName: 'Hand Made' } });
  });

  it.each(badTokens)('refuses %s as UNAUTHENTICATED with HTTP 401', async (_kind, makeToken) => {
    const user = await api.createUser();
    const token = await makeToken(user);

    const result = await viewerWith(`Bearer ${token}`);

    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a bad token even for introspection', async () => {
    const token = await api.tokens.sign(randomUUID());

    const result = await api.execute(ScopingIntrospectionDocument, {}, { headers: { authorization: `Bearer ${token}` } });

    expect(result.status).toBe(401);
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
  });
});

/** The token with its payload's sub replaced and its signature kept. */
function tamper(token: string, sub: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${base64url({ ...claims, sub })}.${signature}`;
}

describe('health probes', () => {
  it('answers GET /healthz with 200', async () => {
    const response = await api.server.app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers GET /readyz with 200 while the database answers', async () => {
    const response = await api.server.app.inject({ method: 'GET', url: '/readyz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'up', cache: 'up' });
  });
});

describe('GraphQL over HTTP GET', () => {
  const get = (query: Record<string, string>, headers: Record<string, string>) =>
    api.server.app.inject({ method: 'GET', url: '/graphql', query, headers });

  it.each([
    ['a preflight header', { 'apollo-require-preflight': 'true' }],
    ['a JSON content-type', { 'content-type': 'application/json' }],
  ])('answers a query sent with %s', async (_kind, headers) => {
    const user = await api.createUser('Grace Hopper');

    const response = await get({ query: print(ScopingViewerDocument) }, { authorization: `Bearer ${user.token}`, ...headers });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { viewer: { id: user.id, email: user.email, displayName: 'Grace Hopper' } } });
  });

  it('refuses a query without a preflight header or content-type as a possible CSRF, with HTTP 400', async () => {
    const user = await api.createUser();

    const response = await get({ query: print(ScopingViewerDocument) }, { authorization: `Bearer ${user.token}` });

    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['BAD_REQUEST']);
  });

  it('refuses a mutation with HTTP 405 and writes nothing', async () => {
    const user = await api.createUser();

    const response = await get(
      { query: print(ScopingCreateConversationOverGetDocument), variables: JSON.stringify({ title: 'Over GET' }) },
      { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': 'true' },
    );

    expect(response.statusCode).toBe(405);
    expect(response.json().errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['BAD_REQUEST']);
    const written = await api.db.selectFrom('conversations').select('id').where('userId', '=', user.id).execute();
    expect(written).toEqual([]);
  });
});
