import type * as vscode from 'vscode';
import { streamWithRecovery } from '../api/resilientStream';
import { StreamOptionsSupport } from '../api/streamOptions';
import type { ChatStreamEvent } from '../api/types';
import type { GatewayRoute, RequestParameters, StreamFn, StreamRequest } from '../chat/request';
import type { ResolvedConnection } from './connectionResolver';

const STATE_KEY = 'foxChat.streamOptionsRejectedBy';

/** The last request as sent, for "Copy Last Request as cURL". */
export type LastRequest = Pick<StreamRequest, 'baseUrl' | 'apiKey' | 'request' | 'headers' | 'secretHeaders' | 'extraBody'>;

/** Where and as whom every feature's request goes, from the settings and secrets just resolved. */
export function routeFor({ settings, apiKey, secretHeaders }: ResolvedConnection): GatewayRoute {
  const { profile, request, client } = settings;
  return {
    baseUrl: profile.baseUrl,
    apiKey,
    headers: profile.headers,
    secretHeaders,
    extraBody: request.extraBody,
    fallbackModels: profile.fallbackModels,
    policy: { maxRetries: client.maxRetries, idleTimeoutMs: client.idleTimeoutMs },
    maxAnswerBytes: client.maxAnswerBytes,
  };
}

/** The request fields the settings describe (temperature, max_tokens, provider, …), the same for every feature. */
export function parametersFor({ settings }: ResolvedConnection): RequestParameters {
  const { extraBody: _extraBody, ...parameters } = settings.request;
  return parameters;
}

/**
 * The one pipeline every request goes through (chat, tools, JSON answers, inline edits): retries,
 * fallback models, the memory of which gateways reject `stream_options` (kept across sessions so
 * each gateway pays the extra 400 once), the log line, and the last request for the cURL export.
 */
export class GatewayStream {
  readonly streamOptionsSupport = new StreamOptionsSupport();
  private last: LastRequest | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log?: Pick<vscode.LogOutputChannel, 'info'>,
    /** How requests reach the gateway (proxy, certificates); Node's fetch when undefined. */
    private readonly fetchImpl?: typeof fetch,
  ) {
    this.streamOptionsSupport.restore(state.get<unknown>(STATE_KEY));
  }

  get lastRequest(): LastRequest | undefined {
    return this.last;
  }

  readonly stream: StreamFn = (options: StreamRequest) => this.run(options);

  private async *run(options: StreamRequest): AsyncGenerator<ChatStreamEvent> {
    const { baseUrl, apiKey, request, headers, secretHeaders, extraBody } = options;
    this.last = { baseUrl, apiKey, request, headers, secretHeaders, extraBody };
    this.log?.info(`POST ${baseUrl}/chat/completions model=${request.model} messages=${request.messages.length}`);
    const known = this.streamOptionsSupport.snapshot().length;
    try {
      yield* streamWithRecovery({ ...options, fetchImpl: this.fetchImpl, streamOptionsSupport: this.streamOptionsSupport });
    } finally {
      const snapshot = this.streamOptionsSupport.snapshot();
      if (snapshot.length !== known) {
        void this.state.update(STATE_KEY, snapshot);
      }
    }
  }
}
