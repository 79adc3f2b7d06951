import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const observability = fileURLToPath(new URL('../../src/observability/', import.meta.url));
const RULES = join(observability, 'prometheus/alerts.rules.yml');
const RULE_TESTS = join(observability, 'prometheus/alerts.test.yml');
const DASHBOARD = join(observability, 'grafana/dashboard.json');

/**
 * Runs promtool (Debian's `prometheus` package; .ci/run installs it). This suite is
 * `npm run test:alerts`, apart from `npm test`, which needs Node alone. A missing
 * promtool fails it: these rules page people, they must not go unchecked.
 */
function promtool(...args: string[]): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('promtool is not installed: apt-get install prometheus (Debian), or see .ci/run'));
        return;
      }
      resolve({ exitCode: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('the Prometheus alert rules', () => {
  it('pass promtool check rules', async () => {
    const { exitCode, output } = await promtool('check', 'rules', RULES);
    expect(exitCode, output).toBe(0);
  });

  it('fire on the series written to fire them, and stay quiet on the others (promtool test rules)', async () => {
    const { exitCode, output } = await promtool('test', 'rules', RULE_TESTS);
    expect(exitCode, output).toBe(0);
  });
});

describe('the Grafana dashboard', () => {
  it('queries only valid PromQL', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    expect(exprs.length).toBeGreaterThan(0);
    // Grafana's variables are not PromQL: give them the values a scrape interval and "All" would.
    const asPromql = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*');
    const rules = exprs.map((expr, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(asPromql(expr))}`);
    const folder = await mkdtemp(join(tmpdir(), 'dashboard-promql-'));
    try {
      const file = join(folder, 'dashboard.rules.yml');
      await writeFile(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
      const { exitCode, output } = await promtool('check', 'rules', file);
      expect(exitCode, output).toBe(0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
