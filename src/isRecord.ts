/** A JSON object (not null, not an array): what parsed gateway bodies, settings and stored history are checked against. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
