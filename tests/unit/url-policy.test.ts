import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { urlProblem, type UrlPolicyConfig } from '../../src/url-policy.js';
import { problemsOf } from '../helpers/config-problems.js';

const HTTPS_ONLY: UrlPolicyConfig = { extraSchemes: [], hosts: [] };
const OBJECT_STORES: UrlPolicyConfig = { extraSchemes: ['s3:', 'gs:'], hosts: ['media-bucket'] };

describe('urlProblem, by default (https: only)', () => {
  it.each([
    'https://cdn.example.com/a.png',
    'https://cdn.example.com:8443/cut.mp4?signature=abc&expires=1',
    'https://cdn.example.com./trailing-dot.png',
    'https://8.8.8.8/public-v4.png',
    'https://172.32.0.1/just-past-172.16/12.png',
    'https://192.169.0.1/just-past-192.168/16.png',
    'https://[2001:4860:4860::8888]/public-v6.png',
    `https://cdn.example.com/${'a'.repeat(2_048 - 'https://cdn.example.com/'.length)}`,
  ])('accepts %s', (url) => {
    expect(urlProblem(url, HTTPS_ONLY)).toBeUndefined();
  });

  it.each([
    ['length', `https://cdn.example.com/${'a'.repeat(2_049 - 'https://cdn.example.com/'.length)}`],
    ['syntax', ''],
    ['syntax', 'not a url'],
    ['syntax', '/relative/path.png'],
    ['credentials', 'https://user:secret@cdn.example.com/a.png'],
    ['credentials', 'https://cdn.example.com@169.254.169.254/'],
    ['scheme', 'http://cdn.example.com/a.png'],
    ['scheme', 's3://internal/secrets.json'],
    ['scheme', 'gs://bucket/voice.ogg'],
    ['scheme', 'ftp://cdn.example.com/a.png'],
    ['scheme', 'file:///etc/passwd'],
    ['scheme', 'javascript:alert(1)'],
    ['scheme', 'data:image/png;base64,AAAA'],
  ] as const)('refuses for its %s: %s', (problem, url) => {
    expect(urlProblem(url, HTTPS_ONLY)).toBe(problem);
  });

  it.each([
    // Names of this machine and the local network.
    'https://localhost/a.png',
    'https://LOCALHOST./a.png',
    'https://api.localhost/a.png',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://printer.local/a.png',
    // IPv4: loopback, private, link-local (the metadata service), shared, unspecified.
    'https://127.0.0.1/a.png',
    'https://127.9.9.9:6379/',
    'https://10.0.0.1/a.png',
    'https://172.16.0.1/a.png',
    'https://172.31.255.254/a.png',
    'https://192.168.1.10/a.png',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.100.100.200/latest/meta-data/',
    'https://0.0.0.0/a.png',
    'https://224.0.0.1/a.png',
    // The same addresses spelled so that a naive check misses them; the WHATWG parser normalises each.
    'https://2130706433/a.png',
    'https://0x7f000001/a.png',
    'https://0x7f.1/a.png',
    'https://0177.0.0.1/a.png',
    'https://127.1/a.png',
    'https://0/a.png',
    'https://%31%32%37.0.0.1/a.png',
    // IPv6: loopback, unspecified, unique local, link-local, and IPv4 inside IPv6.
    'https://[::1]/a.png',
    'https://[0:0:0:0:0:0:0:1]/a.png',
    'https://[::]/a.png',
    'https://[fc00::1]/a.png',
    'https://[fd12:3456:789a::1]/a.png',
    'https://[fe80::1]/a.png',
    'https://[::ffff:127.0.0.1]/a.png',
    'https://[::ffff:169.254.169.254]/a.png',
    'https://[::ffff:10.0.0.1]/a.png',
    'https://[::127.0.0.1]/a.png',
    'https://[64:ff9b::a9fe:a9fe]/a.png',
  ])('refuses a host that is not public: %s', (url) => {
    expect(urlProblem(url, HTTPS_ONLY)).toBe('host');
  });
});

describe('urlProblem, with object stores allowed', () => {
  it.each(['s3://media-bucket/cut.mp4', 'gs://media-bucket/voice.ogg', 'S3://Media-Bucket/cut.mp4', 'https://cdn.example.com/a.png'])('accepts %s', (url) => {
    expect(urlProblem(url, OBJECT_STORES)).toBeUndefined();
  });

  it.each([
    ['host', 's3://internal/secrets.json'],
    ['host', 's3://2130706433/a'],
    ['host', 's3://[::1]/a'],
    ['host', 's3:///no-host'],
    ['scheme', 'http://media-bucket/cut.mp4'],
    ['host', 'https://169.254.169.254/'],
  ] as const)('refuses for its %s: %s', (problem, url) => {
    expect(urlProblem(url, OBJECT_STORES)).toBe(problem);
  });

  it('refuses a private address even when its scheme is allowed', () => {
    const internalHttp: UrlPolicyConfig = { extraSchemes: ['http:'], hosts: ['minio.example.com'] };
    expect(urlProblem('http://minio.example.com:9000/bucket/a.png', internalHttp)).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:9000/bucket/a.png', internalHttp)).toBe('host');
    expect(urlProblem('http://localhost:6379/', internalHttp)).toBe('host');
  });
});

describe('RESOURCE_URL_SCHEMES and RESOURCE_URL_HOSTS', () => {
  it('allow https: only by default', () => {
    expect(loadConfig({}).resourceUrls).toEqual({ extraSchemes: [], hosts: [] });
  });

  it('read comma-separated schemes (with or without the colon) and hosts, in lower case', () => {
    const config = loadConfig({ RESOURCE_URL_SCHEMES: 's3, GS:', RESOURCE_URL_HOSTS: 'Media-Bucket,media.example.com' });
    expect(config.resourceUrls).toEqual({ extraSchemes: ['s3:', 'gs:'], hosts: ['media-bucket', 'media.example.com'] });
  });

  it('refuse extra schemes without the hosts they may name', () => {
    expect(problemsOf({ RESOURCE_URL_SCHEMES: 's3' })).toEqual([expect.stringContaining('RESOURCE_URL_SCHEMES')]);
  });

  it('refuse a host that is local or private, in any spelling, and one that is no host name', () => {
    const problems = problemsOf({ RESOURCE_URL_SCHEMES: 's3', RESOURCE_URL_HOSTS: 'localhost,10.0.0.8,2130706433,a/b' });
    expect(problems).toEqual([
      expect.stringContaining('"localhost"'),
      expect.stringContaining('"10.0.0.8"'),
      expect.stringContaining('"2130706433"'),
      expect.stringContaining('"a/b"'),
    ]);
    expect(problems.every((problem) => problem.startsWith('RESOURCE_URL_HOSTS'))).toBe(true);
  });

  it('refuse a scheme that is not a scheme name', () => {
    expect(problemsOf({ RESOURCE_URL_SCHEMES: 'ht tp', RESOURCE_URL_HOSTS: 'media-bucket' })).toEqual([expect.stringContaining('RESOURCE_URL_SCHEMES')]);
  });
});
