import { describe, it, expect } from 'vitest';
import { GraphQLError } from 'graphql';
import { SignJWT } from 'jose';
import { createTokenIssuer } from '../../src/auth/tokens.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const USER_ID = '0b6f4c8e-2a1d-4e5f-9a3b-1c2d3e4f5a61';
const key = new TextEncoder().encode(SECRET);

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The extensions of the error verify rejects with; fails the test if it resolves. */
async function rejectionOf(token: string): Promise<GraphQLError['extensions']> {
  const issuer = createTokenIssuer(SECRET);
  const error: unknown = await issuer.verify(token).then(
    () => expect.unreachable('verify should have rejected'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  return (error as GraphQLError).extensions;
}

describe('createTokenIssuer', () => {
  it('verifies a token it signed and returns its subject and expiry', async () => {
    const issuer = createTokenIssuer(SECRET);
    const before = Date.now();
    const token = await issuer.sign(USER_ID, '2h');
    const verified = await issuer.verify(token);
    expect(verified.subject).toBe(USER_ID);
    // exp has a precision of seconds.
    expect(verified.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7_200_000);
    expect(verified.expiresAt).toBeLessThanOrEqual(Date.now() + 7_200_000);
  });

  it('verifies a token signed by another issuer with the same secret', async () => {
    const token = await createTokenIssuer(SECRET).sign(USER_ID, '1h');
    await expect(createTokenIssuer(SECRET).verify(token)).resolves.toMatchObject({ subject: USER_ID });
  });

  it('answers UNAUTHENTICATED with HTTP status 401 for an expired token', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(USER_ID)
      .setIssuedAt(nowSeconds() - 7200)
      .setExpirationTime(nowSeconds() - 3600)
      .sign(key);
    expect(await rejectionOf(token)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers UNAUTHENTICATED for a token signed with another key', async () => {
    const token = await createTokenIssuer('another-secret-that-is-long-enough-987654').sign(USER_ID);
    expect(await rejectionOf(token)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers UNAUTHENTICATED for an unsigned alg: none token', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: USER_ID, exp: nowSeconds() + 3600 })}.`;
    expect(await rejectionOf(token)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers UNAUTHENTICATED for a token without an expiry', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(USER_ID).setIssuedAt().sign(key);
    expect(await rejectionOf(token)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers UNAUTHENTICATED for a token without a subject', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(key);
    expect(await rejectionOf(token)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers UNAUTHENTICATED for an HS512 token signed with the right secret, since the algorithm is pinned', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject(USER_ID).setIssuedAt().setExpirationTime('1h').sign(key);
    expect(await rejectionOf(token)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers UNAUTHENTICATED for a token whose payload was altered', async () => {
    const token = await createTokenIssuer(SECRET).sign(USER_ID);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url({ sub: 'someone-else', exp: nowSeconds() + 3600 })}.${signature}`;
    expect(await rejectionOf(forged)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers UNAUTHENTICATED for something that is not a token', async () => {
    for (const token of ['', 'garbage', 'a.b.c']) {
      expect(await rejectionOf(token), token).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    }
  });
});

describe('token scopes', () => {
  it('carries the scopes it was signed with, and none for a user token', async () => {
    const issuer = createTokenIssuer(SECRET);
    await expect(issuer.verify(await issuer.sign(USER_ID, '1h', ['agent']))).resolves.toMatchObject({ subject: USER_ID, scopes: ['agent'] });
    await expect(issuer.verify(await issuer.sign(USER_ID))).resolves.toMatchObject({ scopes: [] });
  });

  it('writes no scope claim into a user token, so that tokens from before scopes read the same', async () => {
    const token = await createTokenIssuer(SECRET).sign(USER_ID);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload).not.toHaveProperty('scope');
  });

  it('grants nothing for a scope it does not know, beside one it does', async () => {
    const token = await new SignJWT({ scope: 'admin agent' }).setProtectedHeader({ alg: 'HS256' }).setSubject(USER_ID).setExpirationTime('1h').sign(key);
    await expect(createTokenIssuer(SECRET).verify(token)).resolves.toMatchObject({ scopes: ['agent'] });
  });

  it('answers UNAUTHENTICATED for a scope claim that is not a string', async () => {
    const token = await new SignJWT({ scope: ['agent'] }).setProtectedHeader({ alg: 'HS256' }).setSubject(USER_ID).setExpirationTime('1h').sign(key);
    expect(await rejectionOf(token)).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });
});
