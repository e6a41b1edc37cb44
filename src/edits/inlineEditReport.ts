import * as vscode from 'vscode';
import { runErrorAction } from '../services/errorActions';
import { actionLabels, describeGatewayError } from '../services/errorPresenter';
import type { InlineEditEnd } from './inlineEditState';

export interface InlineEditReportContext {
  /** The edit's id, for the log. */
  id: string;
  /** The gateway the edit asked, for the error's wording. */
  baseUrl: string;
  log: vscode.LogOutputChannel;
  /** Runs the same instruction again on the restored original. */
  retry: () => void;
}

/** Tells the user how an edit ended when it was not their own choice. */
export function reportInlineEditEnd(end: InlineEditEnd, { id, baseUrl, log, retry }: InlineEditReportContext): void {
  const openLog = vscode.l10n.t('Open Log');
  const showLog = (choice: string | undefined): void => {
    if (choice === openLog) log.show();
  };
  switch (end.reason) {
    case 'failed': {
      const error = end.error ?? { kind: 'network' as const, message: '' };
      const view = describeGatewayError(error, baseUrl);
      log.error(`Inline edit ${id}: ${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`);
      const labels = actionLabels();
      const actions = [...new Set<keyof typeof labels>(['retry', ...view.actions, 'showLog'])];
      const message = vscode.l10n.t('Fox Chat could not finish rewriting the code, so the original is back. {0}', view.message);
      void vscode.window.showErrorMessage(message, ...actions.map((action) => labels[action])).then((choice) => {
        const action = actions.find((candidate) => labels[candidate] === choice);
        if (action) runErrorAction(action, { retry, log });
      });
      break;
    }
    case 'conflict':
      void vscode.window.showWarningMessage(
        vscode.l10n.t('You edited the code Fox Chat was rewriting, so it stopped and put the original code back.'),
      );
      break;
    case 'saved':
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Fox Chat stopped rewriting because the file was saved; the original code was kept.'),
      );
      break;
    case 'empty':
      void vscode.window.showInformationMessage(vscode.l10n.t('The model returned no code, so nothing was changed.'));
      break;
    case 'editFailed':
      void vscode.window
        .showErrorMessage(vscode.l10n.t('Fox Chat could not change the document; the original code was kept where possible.'), openLog)
        .then(showLog);
      break;
    case 'lostTrack':
      void vscode.window
        .showErrorMessage(
          vscode.l10n.t('Fox Chat lost track of the code it was rewriting and stopped. If the original is not back, use Undo.'),
          openLog,
        )
        .then(showLog);
      break;
    default:
      break;
  }
}
