import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Characters of the body Apollo answered: set once it ran the request (refused or not), absent when it never reached Apollo. */
    answeredChars?: number;
  }
}

/**
 * The unit: about 10 us of the API process's CPU on the 2-core bench VM, so
 * that what a request is charged is about what it cost (tools/abuse measures
 * both: process_cpu_seconds_total per request, alone and per attack).
 */

/**
 * A unit per 64 bytes of body past the first KiB: an ordinary request (well
 * under a KiB) pays nothing for its size, and a large one pays about what
 * reading it costs. Measured on the 2-core bench VM (tools/abuse): parsing and
 * checking a JSON body costs 0.15-0.35 ms of CPU per KiB (1 MB of variables
 * 160 ms, a 14 KB document 4.7 ms): 10-20 us per 64 bytes, a unit or two.
 */
const FREE_BODY_BYTES = 1_024;
const BYTES_PER_UNIT = 64;
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
  return EXECUTED_UNITS + Math.ceil(Math.max(0, chars - FREE_RESPONSE_CHARS) / RESPONSE_CHARS_PER_UNIT);
}

/** What reading the request cost: known once its body is read, before anything else is done with it. */
export function bodyUnitsOf(request: FastifyRequest): number {
  return bodyUnits(request.bodyBytes ?? (request.method === 'GET' ? request.url.length : 0));
}

/**
 * What a request cost the server besides its objects, in rate-limit units,
 * refused or not: reading and parsing its body (JSON, variables, document)
 * grows with its bytes; validating a document Apollo has not validated
 * before grows faster than its size; running it through Apollo has a price of
 * its own, and a large answer grows with its size. Added to the operation's
 * cost; a document Apollo already validated, or one remembered as refused,
 * costs no validation; a request refused before Apollo (401, remembered
 * refusals, the response cache's answers) pays no run.
 */
export function workUnitsOf(request: FastifyRequest): number {
  const selections = request.record?.validatedSelections ?? 0;
  const run = request.answeredChars === undefined ? 0 : executedUnits(request.answeredChars);
  return bodyUnitsOf(request) + Math.floor((selections * selections) / SQUARED_SELECTIONS_PER_UNIT) + run;
}
