import type * as vscode from 'vscode';
import { streamWithRecovery } from '../api/resilientStream';
import { GatewayDialects } from '../api/dialects';
import type { ChatStreamEvent } from '../api/types';
import type { GatewayRoute, RequestParameters, StreamFn, StreamRequest } from '../chat/request';
import type { ResolvedConnection } from './connectionResolver';

/** The last request as sent, for "Copy Last Request as cURL". */
export type LastRequest = Pick<StreamRequest, 'baseUrl' | 'apiKey' | 'request' | 'headers' | 'secretHeaders' | 'extraBody' | 'keyHeader'>;

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
    ...(profile.keyHeader ? { keyHeader: profile.keyHeader } : {}),
  };
}

/** The request fields the settings describe (temperature, max_tokens, provider, …), the same for every feature. */
export function parametersFor({ settings }: ResolvedConnection): RequestParameters {
  const { extraBody: _extraBody, ...parameters } = settings.request;
  return parameters;
}

/**
 * The one pipeline every request goes through (chat, tools, JSON answers, inline edits): retries,
 * fallback models, what each gateway and model was found to refuse (kept in globalState, so each
 * pays for a refusal once), the log line, and the last request for the cURL export.
 */
export class GatewayStream {
  readonly dialects: GatewayDialects;
  private last: LastRequest | undefined;

  constructor(
    state: vscode.Memento,
    private readonly log?: Pick<vscode.LogOutputChannel, 'info'>,
    /** How requests reach the gateway (proxy, certificates); Node's fetch when undefined. */
    private readonly fetchImpl?: typeof fetch,
  ) {
    this.dialects = new GatewayDialects(state);
  }

  get lastRequest(): LastRequest | undefined {
    return this.last;
  }

  readonly stream: StreamFn = (options: StreamRequest) => this.run(options);

  private async *run(options: StreamRequest): AsyncGenerator<ChatStreamEvent> {
    const { baseUrl, apiKey, request, headers, secretHeaders, extraBody, keyHeader } = options;
    this.last = { baseUrl, apiKey, request, headers, secretHeaders, extraBody, ...(keyHeader ? { keyHeader } : {}) };
    this.log?.info(`POST ${baseUrl}/chat/completions model=${request.model} messages=${request.messages.length}`);
    const known = this.dialects.fixesFor(baseUrl, request.model).size;
    try {
      yield* streamWithRecovery({ ...options, fetchImpl: this.fetchImpl, streamOptionsSupport: this.dialects });
    } finally {
      const fixes = this.dialects.fixesFor(baseUrl, request.model);
      if (fixes.size !== known) this.log?.info(`learned: ${baseUrl} model=${request.model} now gets ${[...fixes].join(', ')}`);
    }
  }
}
