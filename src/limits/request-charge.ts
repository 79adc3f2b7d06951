import type { FastifyRequest } from 'fastify';

/**
 * A unit per 64 bytes of body past the first KiB: an ordinary request (well
 * under a KiB) pays nothing for its size, and a large one pays about what
 * reading it costs. Measured on the 2-core bench VM (tools/abuse): parsing and
 * checking a JSON body costs 0.15-0.35 ms of CPU per KiB (1 MB of variables
 * 160 ms, a 14 KB document 4.7 ms), and a unit is worth about 10 us of CPU, so
 * that the default budget (1,000,000 units a minute) spent on large bodies
 * keeps one client to about a sixth of a core.
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

/** Units for reading a body (or a GET's URL) of `bytes`. */
export function bodyUnits(bytes: number): number {
  return Math.ceil(Math.max(0, bytes - FREE_BODY_BYTES) / BYTES_PER_UNIT);
}

/** What reading the request cost: known once its body is read, before anything else is done with it. */
export function bodyUnitsOf(request: FastifyRequest): number {
  return bodyUnits(request.bodyBytes ?? (request.method === 'GET' ? request.url.length : 0));
}

/**
 * What a request cost the server before any resolver ran, in rate-limit units,
 * refused or not: reading and parsing its body (JSON, variables, document)
 * grows with its bytes, and validating a document Apollo has not validated
 * before grows faster than its size. Added to the operation's cost; a
 * document Apollo already validated, or one remembered as refused, costs no
 * validation.
 */
export function workUnitsOf(request: FastifyRequest): number {
  const selections = request.record?.validatedSelections ?? 0;
  return bodyUnitsOf(request) + Math.floor((selections * selections) / SQUARED_SELECTIONS_PER_UNIT);
}
