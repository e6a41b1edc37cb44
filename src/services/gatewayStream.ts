import type * as vscode from 'vscode';
import { streamWithRecovery } from '../api/resilientStream';
import { StreamOptionsSupport } from '../api/streamOptions';
import type { ChatStreamEvent } from '../api/types';
import type { StreamFn, StreamRequest } from '../chat/chatSession';

const STATE_KEY = 'foxChat.streamOptionsRejectedBy';

/**
 * The stream every chat request goes through: retries, fallback models and the memory of which
 * gateways reject `stream_options`, kept across sessions so each gateway pays the extra 400 once.
 */
export class GatewayStream {
  readonly streamOptionsSupport = new StreamOptionsSupport();

  constructor(private readonly state: vscode.Memento) {
    this.streamOptionsSupport.restore(state.get<unknown>(STATE_KEY));
  }

  readonly stream: StreamFn = (options: StreamRequest) => this.run(options);

  private async *run(options: StreamRequest): AsyncGenerator<ChatStreamEvent> {
    const known = this.streamOptionsSupport.snapshot().length;
    try {
      yield* streamWithRecovery({ ...options, streamOptionsSupport: this.streamOptionsSupport });
    } finally {
      const snapshot = this.streamOptionsSupport.snapshot();
      if (snapshot.length !== known) {
        void this.state.update(STATE_KEY, snapshot);
      }
    }
  }
}
