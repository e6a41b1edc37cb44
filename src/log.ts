import * as vscode from 'vscode';
import type { ChatRequest, GatewayErrorInfo } from './api/types';
import type { RequestLogger } from './chat/chatSession';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Fox Chat', { log: true });
}

/** Logs what was asked of which gateway and what failed; the key is never part of either. */
export function requestLogger(log: vscode.LogOutputChannel): RequestLogger {
  return {
    request(url: string, request: ChatRequest): void {
      log.info(`POST ${url} model=${request.model} messages=${request.messages.length}`);
    },
    failure(error: GatewayErrorInfo): void {
      log.error(`${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`);
    },
    info(message: string): void {
      log.info(message);
    },
  };
}
