export type OperationKind = 'query' | 'mutation' | 'subscription';

/** What a computed response may be stored under (src/cache/request-cache.ts responsePolicy). */
export interface ResponsePolicy {
  readonly ttlSeconds: number;
  readonly fences: [string, string][];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What GraphQL learnt about this request (./request-record.ts); set when /graphql takes it. */
    record?: RequestRecord;
  }
}

/**
 * What the HTTP edge learns about one GraphQL request, typed, in one object:
 * written while Apollo runs (by recordPlugin, and by the limits through the
 * setters below) or by a cached answer in its place, and read after it by the
 * rate limit's charge, the remembered refusals, the response cache, the
 * request log and the metrics. Held by reference from the Context: Apollo
 * hands plugins a shallow copy of it.
 */
export class RequestRecord {
  private name?: string;
  private kind?: OperationKind;
  private fromCache = false;
  private errors = false;
  private estimatedCost?: number;
  private selections?: number;
  private rejected = false;
  private policy: ResponsePolicy | null = null;

  /** The operation that ran (Apollo resolved it) or was answered from the cache; undefined when neither. */
  get operation(): { readonly name: string | undefined } | undefined {
    return this.kind !== undefined || this.fromCache ? { name: this.name } : undefined;
  }

  /** The response cache answered it (its lookup and its send were the work). */
  get answeredFromResponseCache(): boolean {
    return this.fromCache;
  }

  get operationName(): string | undefined {
    return this.name;
  }

  /** Known once Apollo resolved the operation; a cached answer leaves it unknown. */
  get operationKind(): OperationKind | undefined {
    return this.kind;
  }

  get hadErrors(): boolean {
    return this.errors;
  }

  /** The operation's estimated cost (src/limits/cost.ts): what the rate limit charges the request. */
  get cost(): number | undefined {
    return this.estimatedCost;
  }

  /** Selections of the client's document when graphql-js validated it (src/limits/pre-validation.ts): charged by the rate limit. */
  get validatedSelections(): number | undefined {
    return this.selections;
  }

  /** The document failed validation or broke a query limit: remembered, so that a repeat is refused at once. */
  get documentRejected(): boolean {
    return this.rejected;
  }

  /** What the computed response may be stored under; null when it may not be. */
  get responsePolicy(): ResponsePolicy | null {
    return this.policy;
  }

  resolved(name: string | undefined, kind: OperationKind | undefined): void {
    this.name = name;
    this.kind = kind;
  }

  answeredFromCache(name: string | undefined): void {
    this.name = name;
    this.fromCache = true;
  }

  failed(): void {
    this.errors = true;
  }

  costed(cost: number): void {
    this.estimatedCost = cost;
  }

  validated(selections: number): void {
    this.selections = selections;
  }

  rejectDocument(): void {
    this.rejected = true;
  }

  answered(policy: ResponsePolicy | null): void {
    this.policy = policy;
  }
}
