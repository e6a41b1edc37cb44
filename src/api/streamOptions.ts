// `stream_options: {include_usage: true}` gets the token usage of a streamed answer, but some
// gateways reject the field outright. Which ones is now part of what GatewayDialects learns; the
// names below stay for the callers that only ever cared about this one field.

import { GatewayDialects, classifyRejection, defaultGatewayDialects } from './dialects';
import type { GatewayErrorInfo } from './types';

export { GatewayDialects as StreamOptionsSupport };

/** The memory used when a caller brings none: it lasts as long as the process. */
export const defaultStreamOptionsSupport = defaultGatewayDialects;

/**
 * A 400 or 422 that names the field: "Unrecognized request argument supplied: stream_options",
 * `"param": "stream_options"`, a validation error listing `include_usage`, and the like.
 */
export function rejectsStreamOptions(info: GatewayErrorInfo, body: string): boolean {
  return classifyRejection(info, body, { stream_options: { include_usage: true } }) === 'noStreamOptions';
}
