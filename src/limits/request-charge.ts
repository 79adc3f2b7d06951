import type { FastifyRequest } from 'fastify';

/** A unit per started KiB past the first: an ordinary request (well under a KiB) pays nothing for its size. */
const BYTES_PER_UNIT = 1_024;
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
 * What a request cost the server before any resolver ran, in rate-limit units,
 * refused or not: reading and parsing its body (JSON, variables, document)
 * grows with its bytes, and validating a document Apollo has not validated
 * before grows faster than its size. Added to the operation's cost; a
 * document Apollo already validated, or one remembered as refused, costs no
 * validation.
 */
export function workUnitsOf(request: FastifyRequest): number {
  const bytes = request.bodyBytes ?? (request.method === 'GET' ? request.url.length : 0);
  const selections = request.graphqlContext?.state.validatedSelections ?? 0;
  return Math.floor(bytes / BYTES_PER_UNIT) + Math.floor((selections * selections) / SQUARED_SELECTIONS_PER_UNIT);
}
