import * as vscode from 'vscode';
import { toCurl } from '../api/curl';
import type { GatewayStream } from '../services/gatewayStream';
import { CommandIds } from '../commandIds';

/** "Copy Last Request as cURL": the last request of any feature exactly as sent, secrets masked, ready for a bug report. */
export function registerCurlCommand(context: vscode.ExtensionContext, gateway: GatewayStream): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.copyLastRequestAsCurl, async () => {
      const last = gateway.lastRequest;
      if (!last) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Fox Chat has not sent a request yet.'));
        return;
      }
      await vscode.env.clipboard.writeText(toCurl({ ...last, streamOptionsSupport: gateway.dialects }));
      void vscode.window.showInformationMessage(vscode.l10n.t('The last request was copied as a cURL command (API key masked).'));
    }),
  );
}
