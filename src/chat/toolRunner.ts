// vscode-free: the contract between the session's tool loop and whoever runs the tools.
import type { FunctionTool, ToolCall, ToolChoice } from '../api/types';

/** What a tool call gave back: `text` goes to the model as the `tool` message. */
export interface ToolResult {
  text: string;
  /** done by default; error for a refused or failed call; denied when the user said no. */
  state?: 'done' | 'error' | 'denied';
}

/** Runs the model's tool calls; never throws for bad input (that is an error result). */
export interface ToolRunner {
  /** A line for the panel, and whether the call writes and so must be allowed first. */
  describe(call: ToolCall): { summary: string; needsApproval: boolean };
  run(call: ToolCall, signal: AbortSignal): Promise<ToolResult>;
}

export interface ToolSetup {
  definitions: FunctionTool[];
  /** Applies to the first request of a question; later rounds use auto so the model can finish. */
  choice?: ToolChoice;
  /** How many rounds of tool calls one question may take before the model must answer. */
  maxRounds: number;
  runner: ToolRunner;
}

export const DENIED_RESULT = 'The user did not allow this tool call.';
