// `stream_options: {include_usage: true}` gets the token usage of a streamed answer, but some
// gateways reject the field outright. This remembers which ones, so each pays for it only once.

import type { GatewayErrorInfo } from './types';

export class StreamOptionsSupport {
  private readonly rejected = new Set<string>();

  isRejected(baseUrl: string): boolean {
    return this.rejected.has(normalise(baseUrl));
  }

  markRejected(baseUrl: string): void {
    this.rejected.add(normalise(baseUrl));
  }

  /** The base URLs known to reject stream_options, for the host to persist. */
  snapshot(): string[] {
    return [...this.rejected].sort();
  }

  /** Adds what snapshot() returned; anything else (stale or corrupt storage) is ignored. */
  restore(snapshot: unknown): void {
    if (!Array.isArray(snapshot)) return;
    for (const baseUrl of snapshot as unknown[]) {
      if (typeof baseUrl === 'string' && baseUrl !== '') this.markRejected(baseUrl);
    }
  }
}

/** The memory used when a caller brings none: it lasts as long as the process. */
export const defaultStreamOptionsSupport = new StreamOptionsSupport();

/**
 * A 400 or 422 that names the field: "Unrecognized request argument supplied: stream_options",
 * `"param": "stream_options"`, a validation error listing `include_usage`, and the like.
 */
export function rejectsStreamOptions(info: GatewayErrorInfo, body: string): boolean {
  if (info.status !== 400 && info.status !== 422) return false;
  return /stream_options|include_usage/i.test(`${info.message}\n${body}`);
}

function normalise(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').toLowerCase();
}
