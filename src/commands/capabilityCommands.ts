import * as vscode from 'vscode';
import type { DialectFix, GatewayDialects } from '../api/dialects';
import { CommandIds } from '../commandIds';

/** What each learned fix means, in the words of someone reading why a request looks different. */
function describeFix(fix: DialectFix): string {
  switch (fix) {
    case 'noStreamOptions':
      return vscode.l10n.t('Rejects stream_options: answers are streamed without token usage.');
    case 'maxCompletionTokens':
      return vscode.l10n.t('Refuses max_tokens: the limit is sent as max_completion_tokens.');
    case 'noTemperature':
      return vscode.l10n.t('Refuses temperature: it is not sent.');
    case 'noProvider':
      return vscode.l10n.t('Rejects the provider object: it is not sent.');
    case 'noReasoningEffort':
      return vscode.l10n.t('Rejects reasoning_effort: it is not sent.');
    case 'noTools':
      return vscode.l10n.t('Has no function calling: questions go without tools.');
    case 'sendReasoningContent':
      return vscode.l10n.t('Requires reasoning_content on earlier answers: it is sent back.');
    case 'omitReasoningContent':
      return vscode.l10n.t('Rejects reasoning_content on earlier answers: it is left out.');
    case 'noResponseFormat':
      return vscode.l10n.t('Rejects response_format: JSON is asked for in the prompt instead.');
    case 'noImages':
      return vscode.l10n.t('Refuses images.');
  }
}

/** A Markdown table cell: no line breaks, pipes escaped. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

async function showCapabilities(dialects: GatewayDialects): Promise<void> {
  const learned = dialects.snapshot();
  const lines = [
    `# ${vscode.l10n.t('Fox Chat: Gateway Capabilities')}`,
    '',
    vscode.l10n.t(
      'When a gateway refuses part of a request, Fox Chat asks once more in the form it accepts and remembers that for the gateway and model. "Fox Chat: Reset Learned Gateway Behaviour" forgets all of it.',
    ),
    '',
  ];
  if (learned.length === 0) {
    lines.push(vscode.l10n.t('Nothing learned yet: every gateway so far accepted the requests as sent.'));
  } else {
    lines.push(`| ${vscode.l10n.t('Base URL')} | ${vscode.l10n.t('Model')} | ${vscode.l10n.t('Learned')} |`, '| --- | --- | --- |');
    for (const entry of learned) {
      const model = entry.model === '' ? vscode.l10n.t('(every model)') : entry.model;
      lines.push(`| ${cell(entry.baseUrl)} | ${cell(model)} | ${entry.fixes.map((fix) => cell(describeFix(fix))).join('<br>')} |`);
    }
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${lines.join('\n')}\n` });
  await vscode.window.showTextDocument(document, { preview: true });
}

/** "Show Gateway Capabilities" and "Reset Learned Gateway Behaviour". */
export function registerCapabilityCommands(context: vscode.ExtensionContext, dialects: GatewayDialects): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.showGatewayCapabilities, () => showCapabilities(dialects)),
    vscode.commands.registerCommand(CommandIds.resetGatewayCapabilities, () => {
      const count = dialects.snapshot().length;
      dialects.reset();
      void vscode.window.showInformationMessage(
        count === 0
          ? vscode.l10n.t('Fox Chat had learned nothing about any gateway.')
          : vscode.l10n.t('Fox Chat forgot what it had learned about {0} gateway and model pairs; the next requests go out as configured.', count),
      );
    }),
  );
}
