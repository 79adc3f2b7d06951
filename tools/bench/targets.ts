/**
 * `--url http://a/graphql,http://b/graphql`: several instances of the API
 * with no load balancer in front; the bench spreads its requests over them
 * in turn, as a round-robin balancer would (W8 then checks freshness across
 * instances: a read on one after a write acknowledged by another).
 */
export function targetsOf(url: string): string[] {
  return url
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

const turns = new Map<string, number>();

/** The next instance of `url`'s list to send a request to; the URL itself when it names one. */
export function nextTarget(url: string): string {
  if (!url.includes(',')) return url;
  const targets = targetsOf(url);
  const turn = turns.get(url) ?? 0;
  turns.set(url, turn + 1);
  return targets[turn % targets.length]!;
}
