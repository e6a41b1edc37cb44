// Streamed tool calls arrive in pieces: `delta.tool_calls[]` entries keyed by `index`, the id and
// name usually in the first piece, `function.arguments` spread over many. This puts them together.

import type { ToolCall, ToolCallDelta } from './types';

interface PartialCall {
  id: string;
  name: string;
  args: string[];
}

export class ToolCallAccumulator {
  private readonly byIndex = new Map<number, PartialCall>();
  private lastIndex = -1;
  /** Calls started since construction; reset() does not forget them, so the cap holds per answer. */
  private started = 0;
  private refused = false;

  /** `maxCalls` caps how many calls add() starts; a piece that would start one more is refused. */
  constructor(private readonly maxCalls: number = Number.POSITIVE_INFINITY) {}

  /** True once add() refused a piece because it would have started call number maxCalls + 1. */
  get tooMany(): boolean {
    return this.refused;
  }

  /** True until a piece of some call arrives. */
  get isEmpty(): boolean {
    return this.byIndex.size === 0;
  }

  /**
   * Adds one raw `tool_calls` entry from the wire and returns it as a typed delta, or undefined
   * when the entry is not a tool call at all or would start one call too many (see tooMany).
   */
  add(raw: unknown): ToolCallDelta | undefined {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const entry = raw as { index?: unknown; id?: unknown; function?: unknown };
    const fn =
      typeof entry.function === 'object' && entry.function !== null
        ? (entry.function as { name?: unknown; arguments?: unknown })
        : undefined;
    const id = nonEmpty(entry.id);
    const index = this.indexOf(entry.index, id);
    if (!this.byIndex.has(index) && this.started >= this.maxCalls) {
      this.refused = true;
      return undefined;
    }
    const delta: ToolCallDelta = { type: 'toolCallDelta', index };
    if (id !== undefined) delta.id = id;
    const name = nonEmpty(fn?.name);
    if (name !== undefined) delta.name = name;
    const argumentsDelta = nonEmpty(fn?.arguments);
    if (argumentsDelta !== undefined) delta.argumentsDelta = argumentsDelta;
    this.apply(delta);
    return delta;
  }

  /** Adds a delta that is already typed (e.g. replayed from `toolCallDelta` events). */
  apply(delta: ToolCallDelta): void {
    let call = this.byIndex.get(delta.index);
    if (!call) {
      call = { id: '', name: '', args: [] };
      this.byIndex.set(delta.index, call);
      this.started++;
    }
    this.lastIndex = delta.index;
    // Some gateways repeat the id and name in every piece; the first id is the call's. A name that
    // differs from what came so far is the next piece of a name split over several chunks.
    if (delta.id !== undefined && call.id === '') call.id = delta.id;
    if (delta.name !== undefined && delta.name !== call.name) call.name += delta.name;
    if (delta.argumentsDelta !== undefined) call.args.push(delta.argumentsDelta);
  }

  /** The name of the call at `index` as far as it has streamed ('' before any piece of it). */
  nameAt(index: number): string {
    return this.byIndex.get(index)?.name ?? '';
  }

  /** The calls so far, in index order, each with an id of its own. */
  calls(): ToolCall[] {
    const seen = new Set<string>();
    return [...this.byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => {
        // The tool result must name the call it answers, so a call the gateway left unnamed gets a
        // stable id, and so does one whose id an earlier call of the answer already has.
        let id = call.id || `call_${index}`;
        if (seen.has(id)) id = `${id}_${index}`;
        seen.add(id);
        return {
          id,
          type: 'function' as const,
          // A call without parameters often streams no arguments at all; '{}' is what it means, and
          // gateways reject an empty string when the call is sent back in the next request.
          function: { name: call.name, arguments: call.args.length === 0 ? '{}' : call.args.join('') },
        };
      });
  }

  reset(): void {
    this.byIndex.clear();
    this.lastIndex = -1;
  }

  /**
   * The wire `index`, or, from gateways that leave it out, the position implied by the id: a new
   * id starts the next call, a piece without one continues the current call.
   */
  private indexOf(index: unknown, id: string | undefined): number {
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0) return index;
    const current = this.byIndex.get(this.lastIndex);
    if (current && (id === undefined || current.id === '' || current.id === id)) return this.lastIndex;
    return this.lastIndex + 1;
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
