import * as vscode from 'vscode';
import { listModels } from '../api/chatClient';
import { runConnectionChecks, type CheckRow } from '../api/connectionCheck';
import type { StreamFn } from '../chat/request';
import { CommandIds } from '../commandIds';
import { checkName, renderConnectionReport } from '../services/connectionReport';
import type { ConnectionResolver } from '../services/connectionResolver';
import type { GatewayFetch } from '../services/gatewayFetch';
import { parametersFor, routeFor } from '../services/gatewayStream';

/**
 * "Test Connection": every check against the active profile, through the same resolver (settings,
 * key, key-origin trust), request pipeline and fetch as a chat question; the report opens as an
 * untitled Markdown document, so it can be read, saved or pasted into a bug report.
 */
export function registerTestConnectionCommand(
  context: vscode.ExtensionContext,
  resolver: ConnectionResolver,
  stream: StreamFn,
  network: GatewayFetch,
  log: Pick<vscode.LogOutputChannel, 'info'>,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.testConnection, async () => {
      const connection = await resolver.resolve();
      if (!connection) return;
      const route = routeFor(connection);
      const { profile } = connection.settings;
      const trust = network.trust();
      const rows = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fox Chat: Testing the connection to {0}…', profile.baseUrl), cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const subscription = token.onCancellationRequested(() => controller.abort());
          try {
            return await runConnectionChecks({
              route,
              model: profile.model,
              parameters: parametersFor(connection),
              requiresKey: profile.requiresKey,
              stream,
              listModels: (signal) => listModels({ ...route, signal, fetchImpl: network.fetch }),
              proxy: network.proxyFor(profile.baseUrl),
              ca: trust.ca,
              rejectUnauthorized: trust.rejectUnauthorized,
              signal: controller.signal,
              onRow: (row: CheckRow) => progress.report({ message: checkName(row.id) }),
            });
          } finally {
            subscription.dispose();
          }
        },
      );
      log.info(`Test Connection: ${rows.map((row) => `${row.id}=${row.verdict}`).join(' ')}`);
      const report = renderConnectionReport(rows, {
        profileLabel: profile.label,
        baseUrl: profile.baseUrl,
        model: profile.model,
        testedAt: new Date(),
        certificateSource: trust.certificateSource,
        secrets: [connection.apiKey, ...Object.values(connection.secretHeaders ?? {})],
      });
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
      await vscode.window.showTextDocument(document, { preview: false });
    }),
  );
}
