import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Characters of the body Apollo answered: set once it ran the request (refused or not), absent when it never reached Apollo. */
    answeredChars?: number;
    /**
     * Size of the answer as it leaves the route, before compression: Apollo's,
     * or the response cache's (as stored, or decoded for a client that takes
     * no gzip). Characters of a string, bytes of a buffer. Set by the rate
     * limit's onSend hook (src/resilience/rate-limit-hook.ts).
     */
    sentBytes?: number;
  }
}

/**
 * The unit: about 10 us of the API process's CPU on the 2-core bench VM, so
 * that what a request is charged is about what it cost (tools/abuse measures
 * both: process_cpu_seconds_total per request, alone and per attack).
 */

/**
 * A unit per 32 bytes of body past the first KiB: an ordinary request (well
 * under a KiB) pays nothing for its size, and a large one pays about what
 * reading it costs. Measured on the 2-core bench VM (tools/abuse): parsing and
 * checking a JSON body costs 0.15-0.35 ms of CPU per KiB (1 MB of variables
 * 160 ms, a 14 KB document 4.7 ms): 10-20 us per 64 bytes. Twice that, since
 * a flood of large bodies costs more than the ones admitted: those refused in
 * onRequest are still read off their connection, and a parsed megabyte of
 * keys is the GC's to free. Measured with tools/abuse/calibrate.ts --budgets
 * default: one sender flooding 1 MB of variables took 0.12-0.16 of a core at
 * a unit per 64 bytes (its budget is 0.1), 0.09-0.12 at one per 32.
 */
const FREE_BODY_BYTES = 1_024;
const BYTES_PER_UNIT = 32;
/**
 * graphql-js's validation grows with the square of a document's selections
 * (OverlappingFieldsCanBeMerged compares them pairwise): a unit per 2,500
 * pairs' worth, so that the largest document the limits allow (150
 * selections, a few ms of validation at worst) pays 9 and a typical one
 * (under 50) nothing. Counted, not timed, so that a charge is the same on a
 * busy machine and an idle one.
 */
const SQUARED_SELECTIONS_PER_UNIT = 2_500;
/**
 * A document Apollo parsed for this request (one it had not cached), a unit
 * per 64 characters past the first KiB on top of its body's: graphql-js's
 * parse, and the limits' walk of what it built. Measured
 * (tools/abuse/calibrate.ts): issue 10's 14 KB validation bomb, refused right
 * after its parse, costs 4.7 ms of CPU; its body pays 410 units, its parse
 * 205 more.
 */
const PARSED_CHARS_PER_UNIT = 64;
/**
 * Each SQL statement the request sent (BEGIN and COMMIT too): building it,
 * the round trip through the driver, its rows, and PostgreSQL's own CPU on
 * the same cores. Measured in-process (tools/abuse/calibrate.ts): a page of
 * tasks, one statement, costs 0.85 ms of the API's CPU and 0.2 ms of
 * PostgreSQL's more than `{ __typename }` does.
 */
export const SQL_STATEMENT_UNITS = 100;
/**
 * A computed answer the response cache stored: the lookup that missed, the
 * identity's hash of the variables, serialising and storing the entry.
 * Measured: a new page at a new offset (issue 10's offset flood) costs 0.85 ms
 * more with the response cache on than off.
 */
export const STORED_ANSWER_UNITS = 80;
/**
 * An answer from the response cache: the lookup, its fences, the headers and
 * the send (its size is charged apart, as a computed answer's is). Measured:
 * 0.19-0.39 ms of CPU, where it used to pay 1 unit.
 */
export const CACHED_ANSWER_UNITS = 30;
/**
 * What running a request through Apollo costs besides its objects: the HTTP
 * exchange, the token check, the parse (or the lookup of a validated
 * document), the plugins, the SQL round trips and the serialisation. Measured
 * on the bench VM (tools/abuse, "server CPU ms per request alone"): a read of
 * a task or a page of 20 costs 0.22-0.24 ms of the API's CPU on a quiet
 * machine and 1.6-3.4 ms at a load average of 12-16, where its cost model
 * says 2-21 units (20-210 us). 0.5 ms, between the two.
 */
export const EXECUTED_UNITS = 50;
/**
 * A response's characters past the first 32 KiB, a unit per 512: reading the
 * rows from PostgreSQL, building and serialising 8 MB costs ~150 ms of CPU
 * (16,000 units); an ordinary response (a 500-task batch's ids too) pays
 * nothing for its size.
 */
const FREE_RESPONSE_CHARS = 32_768;
const RESPONSE_CHARS_PER_UNIT = 512;

/** Units for reading a body (or a GET's URL) of `bytes`. */
export function bodyUnits(bytes: number): number {
  return Math.ceil(Math.max(0, bytes - FREE_BODY_BYTES) / BYTES_PER_UNIT);
}

/** Units for running a request through Apollo whose answer has `chars` characters. */
export function executedUnits(chars: number): number {
  return EXECUTED_UNITS + answerUnits(chars);
}

/** Units for sending an answer of `chars` characters (or bytes), computed or cached. */
export function answerUnits(chars: number): number {
  return Math.ceil(Math.max(0, chars - FREE_RESPONSE_CHARS) / RESPONSE_CHARS_PER_UNIT);
}

/** Units for parsing a document of `chars` characters (Apollo had not parsed it before). */
export function parsedUnits(chars: number): number {
  return Math.ceil(Math.max(0, chars - FREE_BODY_BYTES) / PARSED_CHARS_PER_UNIT);
}

/** What reading the request cost: known once its body is read, before anything else is done with it. */
export function bodyUnitsOf(request: FastifyRequest): number {
  return bodyUnits(request.bodyBytes ?? (request.method === 'GET' ? request.url.length : 0));
}

/**
 * What a request cost the server besides its objects, in rate-limit units,
 * refused or not: reading and parsing its body (JSON, variables, document)
 * grows with its bytes; parsing and validating a document Apollo has not seen
 * before grows with its size, and validating it faster than that; running it
 * through Apollo has a price of its own, each SQL statement it sent another,
 * storing its answer in the response cache another, and a large answer grows
 * with its size. An answer from the response cache pays its lookup and its
 * size. Added to the operation's cost; a request refused before Apollo (401,
 * remembered refusals) pays its body.
 */
export function workUnitsOf(request: FastifyRequest): number {
  const record = request.record;
  const selections = record?.validatedSelections ?? 0;
  const ran = request.answeredChars !== undefined;
  // Apollo parses only a document it has not cached; it caches only those that passed (src/limits/pre-validation.ts).
  const parsed = ran && (record?.validatedSelections !== undefined || record?.documentRejected === true);
  const work = [
    bodyUnitsOf(request),
    parsed ? parsedUnits(documentChars(request)) : 0,
    Math.floor((selections * selections) / SQUARED_SELECTIONS_PER_UNIT),
    ran ? EXECUTED_UNITS : 0,
    (request.sqlStats?.statements ?? 0) * SQL_STATEMENT_UNITS,
    ran && record?.responsePolicy ? STORED_ANSWER_UNITS : 0,
    record?.answeredFromResponseCache ? CACHED_ANSWER_UNITS : 0,
    answerUnits(request.sentBytes ?? request.answeredChars ?? 0),
  ];
  return work.reduce((sum, units) => sum + units, 0);
}

/** Characters of the document the request carries (a POST's body, a GET's query string); 0 for a persisted query's hash alone. */
function documentChars(request: FastifyRequest): number {
  const source = request.method === 'GET' ? request.query : request.body;
  const query = source !== null && typeof source === 'object' ? (source as { query?: unknown }).query : undefined;
  return typeof query === 'string' ? query.length : 0;
}
