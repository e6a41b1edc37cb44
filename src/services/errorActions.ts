import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { ErrorAction } from '../protocol';

/** What only the caller knows how to do again: the chat's question, an inline edit's instruction. */
export interface ErrorActionContext {
  retry(): unknown;
  log: vscode.LogOutputChannel;
}

/** The one place an error's action button (in the panel or in a notification) is carried out. */
export function runErrorAction(action: ErrorAction, context: ErrorActionContext): void {
  switch (action) {
    case 'setApiKey':
      void vscode.commands.executeCommand(CommandIds.setApiKey);
      return;
    case 'selectModel':
      void vscode.commands.executeCommand(CommandIds.selectModel);
      return;
    case 'openSettings':
      void vscode.commands.executeCommand('workbench.action.openSettings', 'foxChat');
      return;
    case 'retry':
      void context.retry();
      return;
    case 'showLog':
      context.log.show();
      return;
  }
}
