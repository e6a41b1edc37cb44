import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { contentSecurityPolicy } from './contentSecurityPolicy';

/**
 * The panel's HTML. Scripts run only with this page's nonce; nothing loads from outside the
 * extension; the webview makes no network requests of its own (all HTTP is in the host).
 */
export function buildWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css'));
  const markdownStyleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'markdown.css'));
  const composerContextStyleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'composer-context.css'));
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri.toString()}">
<link rel="stylesheet" href="${markdownStyleUri.toString()}">
<link rel="stylesheet" href="${composerContextStyleUri.toString()}">
<title>Fox Chat</title>
</head>
<body>
<div id="toolbar"><button id="model-label" type="button" class="model-picker"></button><span id="gateway-label"></span></div>
<div id="empty-state"><p class="empty-title"></p><p class="empty-hint"></p></div>
<main id="transcript" role="log" aria-live="off" tabindex="0"></main>
<div id="announcer" class="visually-hidden"></div>
<div id="composer">
<div id="composer-context" hidden></div>
<div id="composer-row">
<button id="attach-button" type="button" class="icon-button"></button>
<textarea id="composer-input" rows="2"></textarea>
<button id="send-button" type="button"></button>
<button id="stop-button" type="button" hidden></button>
</div>
</div>
<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
