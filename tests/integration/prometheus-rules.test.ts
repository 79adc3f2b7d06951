import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';

/*
 * What can be checked of the alert rules and the dashboard with Node alone.
 * promtool's own checks (syntax, PromQL, the rules' unit tests) need Debian's
 * `prometheus` package and run as `npm run test:alerts` (tests/alerts/).
 */
const observability = fileURLToPath(new URL('../../src/observability/', import.meta.url));
const RULES = join(observability, 'prometheus/alerts.rules.yml');
const RULE_TESTS = join(observability, 'prometheus/alerts.test.yml');
const DASHBOARD = join(observability, 'grafana/dashboard.json');

/** Every metric name of ours, Node's or the process's that a file mentions. */
async function metricNamesIn(file: string): Promise<Set<string>> {
  const text = await readFile(file, 'utf8');
  return new Set(text.match(/\b(?:graphql|sql|db_pool|cache|rate_limit|nodejs|process)_[a-z0-9_]*[a-z0-9]\b/g));
}

describe('the Prometheus alert rules', () => {
  it('are tested one by one: every alert has a test that fires it and one that does not', async () => {
    const rules = await readFile(RULES, 'utf8');
    const tests = await readFile(RULE_TESTS, 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((match) => match[1]!);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      const blocks = tests.split(/\n\s+- eval_time:/).filter((block) => block.includes(`alertname: ${alert}\n`));
      expect(blocks.some((block) => /exp_alerts:\s*\[\]/.test(block)), `${alert} never expected quiet`).toBe(true);
      expect(blocks.some((block) => /exp_alerts:\s*\n\s+- exp_labels:/.test(block)), `${alert} never expected firing`).toBe(true);
    }
  });
});

describe('the rules and the dashboard', () => {
  it('name only metrics the server exports', async () => {
    const exposition = await createMetrics().registry.metrics();
    const families = [...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)];
    const exported = new Set(
      families.flatMap(([, name, type]) => (type === 'histogram' ? [name!, `${name}_bucket`, `${name}_count`, `${name}_sum`] : [name!])),
    );
    for (const file of [RULES, DASHBOARD]) {
      const unknown = [...(await metricNamesIn(file))].filter((name) => !exported.has(name));
      expect(unknown, file).toEqual([]);
    }
  });
});
