// Replays a recorded response body through streamChat (the client's one streaming entry point),
// delivered in the pieces a test chooses, and sums up what a consumer of the events would keep.

import { streamChat } from '../../../src/api/chatClient';
import type { GatewayErrorInfo, StreamEvent, Usage } from '../../../src/api/types';

export interface ReplayedAnswer {
  text: string;
  reasoning: string;
  /** The last `toolCalls` event (each one lists every call so far). */
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason?: string;
  /** The last usage (chatSession keeps the last one too). */
  usage?: Usage;
  error?: GatewayErrorInfo;
  /** Every event, for tests that look at order or count. */
  events: StreamEvent[];
}

export interface RecordedResponse {
  status: number;
  contentType: string;
  /** The body as the network would deliver it: each piece is one read. */
  pieces: Uint8Array[];
}

export async function replay(response: RecordedResponse): Promise<ReplayedAnswer> {
  const fetchImpl: typeof fetch = () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of response.pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    return Promise.resolve(new Response(body, { status: response.status, headers: { 'content-type': response.contentType } }));
  };
  const answer: ReplayedAnswer = { text: '', reasoning: '', events: [] };
  const request = { model: 'recorded', messages: [{ role: 'user' as const, content: 'Hi' }] };
  for await (const event of streamChat({ baseUrl: 'https://gateway.test/v1', apiKey: 'test-key', request, fetchImpl })) {
    answer.events.push(event);
    switch (event.type) {
      case 'text':
        answer.text += event.text;
        break;
      case 'reasoning':
        answer.reasoning += event.text;
        break;
      case 'toolCalls':
        answer.toolCalls = event.calls.map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments }));
        break;
      case 'finish':
        answer.finishReason = event.reason;
        break;
      case 'usage':
        answer.usage = event.usage;
        break;
      case 'error':
        answer.error = event.error;
        break;
      case 'toolCallDelta':
        break;
    }
  }
  return answer;
}

/** `bytes` cut at `cuts` (sorted, distinct, inside the body). */
export function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/**
 * About `count` random cut positions, plus one inside every multi-byte UTF-8 sequence the random
 * ones missed up to `count` of those, so decoding across reads is exercised wherever it can be.
 */
export function randomCuts(bytes: Uint8Array, count: number, random: () => number): number[] {
  const cuts = new Set<number>();
  for (let i = 0; i < count && bytes.length > 1; i++) cuts.add(1 + Math.floor(random() * (bytes.length - 1)));
  let inside = 0;
  for (let i = 1; i < bytes.length && inside < count; i++) {
    // 10xxxxxx: a continuation byte, so a cut before it splits a character.
    if (((bytes[i] as number) & 0xc0) === 0x80 && random() < 0.5) {
      cuts.add(i);
      inside++;
    }
  }
  return [...cuts].sort((a, b) => a - b);
}
