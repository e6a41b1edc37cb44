// Wire types of the OpenAI-compatible chat-completions API (see ../shared/seeds and product.md §1).

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export type ImageDetail = 'auto' | 'low' | 'high';

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: ImageDetail };
}

export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: Role;
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** The reasoning of an assistant turn; sent back only to gateways that ask for it (see dialects.ts). */
  reasoning_content?: string;
}

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean; description?: string } };

/** The request body. Optional fields that are undefined are left out of the JSON. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
  /** What reasoning models take instead of max_tokens; learned per gateway and model. */
  max_completion_tokens?: number;
  /** foxChat.reasoningEffort; OpenRouter gets it as `reasoning: {effort}`. */
  reasoning_effort?: ReasoningEffort;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  top_p?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
  /** OfoxAI extension: routing and fallback; passed through untouched. */
  provider?: Record<string, unknown>;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** completion_tokens_details.reasoning_tokens, when the gateway reports it. */
  reasoning_tokens?: number;
  /** prompt_tokens_details.cached_tokens, when the gateway reports it. */
  cached_tokens?: number;
  /** usage.cost (OpenRouter and others: credits, usually US dollars), when reported. */
  cost?: number;
}

/** What can go wrong, in the terms a user acts on. */
export type GatewayErrorKind =
  | 'auth' // 401/403: the key is missing or rejected
  | 'notFound' // 404: usually an unknown model
  | 'rateLimited' // 429
  | 'badRequest' // other 4xx
  | 'server' // 5xx
  | 'network' // no HTTP response at all
  | 'stream' // an {"error": ...} event or a malformed stream after the response started
  | 'timeout' // the stream stalled
  | 'contentFilter'; // the gateway's content filter withheld the answer; `message` names the categories

export interface GatewayErrorInfo {
  kind: GatewayErrorKind;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The gateway's own message (JSON error.message) or a short excerpt of a non-JSON body. */
  message: string;
  /** Seconds from a Retry-After header, when the gateway sent one. */
  retryAfterSeconds?: number;
}

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'finish'; reason: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'error'; error: GatewayErrorInfo }
  /** Thinking the gateway streams beside the answer (`reasoning_content`, `reasoning`); never answer text. */
  | { type: 'reasoning'; text: string }
  /** One piece of a tool call as it streams, for live display; `index` says which call it belongs to. */
  | ToolCallDelta
  /** The complete tool calls, in index order, once the choice finishes or the stream ends cleanly. */
  | { type: 'toolCalls'; calls: ToolCall[] };

export interface ToolCallDelta {
  type: 'toolCallDelta';
  index: number;
  id?: string;
  name?: string;
  argumentsDelta?: string;
}

/** What streamWithRecovery adds around the events of each attempt. */
export type RecoveryEvent =
  | {
      type: 'retrying';
      /** The attempt about to start, counting the first one: 2 for the first retry. */
      attempt: number;
      maxAttempts: number;
      delayMs: number;
      /** The failure being retried. */
      error: GatewayErrorInfo;
      /** Ends the wait early (a "Retry now" button). */
      retryNow: () => void;
    }
  /** A fallback model is being tried; later events come from it. */
  | { type: 'model'; model: string };

export type ChatStreamEvent = StreamEvent | RecoveryEvent;
