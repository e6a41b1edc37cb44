// vscode-free: what a chat request is made of and how it is handed to the pipeline that sends it.
import type { RecoveryPolicy } from '../api/retryPolicy';
import type { DialectFix } from '../api/dialects';
import type { KeyHeader } from '../api/headers';
import type { ChatRequest, ChatStreamEvent, ImageDetail } from '../api/types';
import type { ToolSetup } from './toolRunner';

/** Request fields that come from settings rather than from the conversation. */
export type RequestParameters = Omit<ChatRequest, 'model' | 'messages' | 'stream' | 'stream_options'>;

/** Where, as whom and how a request goes; resolved by the host just before sending. */
export interface Connection extends Omit<GatewayRoute, 'policy'> {
  model: string;
  parameters?: RequestParameters;
  policy?: RecoveryPolicy;
  imageDetail?: ImageDetail;
  /** Tools offered to the model; none when undefined. */
  tools?: ToolSetup;
}

export interface StreamRequest {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  headers?: Record<string, string>;
  /** Credential headers from SecretStorage: sent like `headers`, masked wherever a request is shown. */
  secretHeaders?: Record<string, string>;
  /** Azure OpenAI: the key goes in `api-key`, not Authorization. */
  keyHeader?: KeyHeader;
  extraBody?: Record<string, unknown>;
  fallbackModels?: string[];
  policy: RecoveryPolicy;
  /** The most an answer may hold (foxChat.maxAnswerMB); the client's default when undefined. */
  maxAnswerBytes?: number;
  /** Refusals of these features reach the caller instead of being worked around (Test Connection). */
  probedFeatures?: readonly DialectFix[];
  signal: AbortSignal;
}

/** Everything of a request but its body and its stop signal: the same for every feature. */
export type GatewayRoute = Omit<StreamRequest, 'request' | 'signal'>;

export type StreamFn = (options: StreamRequest) => AsyncIterable<ChatStreamEvent>;
