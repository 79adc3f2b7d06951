import { describe, expect, it } from 'vitest';
import { clusterNodesOf } from '../../src/cache/redis-connection.js';

describe('a Redis Cluster connection', () => {
  it('keeps the user, the password and TLS of REDIS_URL for every node, not only host and port', () => {
    const { nodes, credentials } = clusterNodesOf(['rediss://arya:s%3Acret@10.0.0.1:7000', 'rediss://arya:s%3Acret@10.0.0.2']);

    expect(nodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 6379 },
    ]);
    expect(credentials).toEqual({ username: 'arya', password: 's:cret', tls: {} });
  });

  it('sends no credentials and no TLS where the URLs have none', () => {
    expect(clusterNodesOf(['redis://127.0.0.1:7000']).credentials).toEqual({});
    expect(clusterNodesOf(['redis://:only-a-password@127.0.0.1:7000']).credentials).toEqual({ password: 'only-a-password' });
  });
});
