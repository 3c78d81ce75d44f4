/**
 * A query that cannot be answered as it is saved (an unknown type or view, a field out of range): the person changes
 * the query. The browser shows the message like any other; the backend answers it with HTTP status 400.
 */
export class QueryModelError extends Error {
  override name = 'QueryModelError';
}
