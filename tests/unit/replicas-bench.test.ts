import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeMetrics } from '../../tools/bench/metrics.js';
import { nextTarget, targetsOf } from '../../tools/bench/targets.js';

describe('the bench against several instances', () => {
  it('reads a comma-separated --url as instances, and sends requests to them in turn', () => {
    const urls = 'http://a:4000/graphql, http://b:4000/graphql,http://c:4000/graphql';
    expect(targetsOf(urls)).toEqual(['http://a:4000/graphql', 'http://b:4000/graphql', 'http://c:4000/graphql']);
    expect([1, 2, 3, 4, 5, 6].map(() => nextTarget(urls))).toEqual([
      'http://a:4000/graphql',
      'http://b:4000/graphql',
      'http://c:4000/graphql',
      'http://a:4000/graphql',
      'http://b:4000/graphql',
      'http://c:4000/graphql',
    ]);
    expect(nextTarget('http://a:4000/graphql')).toBe('http://a:4000/graphql');
  });

  describe('metrics', () => {
    const servers: Server[] = [];
    const urls: string[] = [];
    beforeAll(async () => {
      for (const count of [3, 4]) {
        const server = createServer((_req, res) => res.end(`# TYPE sql_statements_total counter\nsql_statements_total{outcome="ok"} ${count}\n`));
        await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
        servers.push(server);
        urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
      }
    });
    afterAll(() => servers.forEach((server) => server.close()));

    it("scrapes every instance, so that a phase's totals are the fleet's", async () => {
      const snapshot = await scrapeMetrics(urls.join(','));
      expect(snapshot!.samples.map((sample) => sample.value)).toEqual([3, 4]);
      expect([...snapshot!.families]).toEqual(['sql_statements_total']);
    });
  });
});
