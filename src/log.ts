import * as vscode from 'vscode';
import type { GatewayErrorInfo } from './api/types';
import type { RequestLogger } from './chat/chatSession';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Fox Chat', { log: true });
}

/** Logs what failed and what the session decided; the key is never part of either. */
export function requestLogger(log: vscode.LogOutputChannel): RequestLogger {
  return {
    failure(error: GatewayErrorInfo): void {
      log.error(`${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`);
    },
    info(message: string): void {
      log.info(message);
    },
  };
}
