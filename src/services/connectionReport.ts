import * as vscode from 'vscode';
import type { CheckId, CheckRow, Verdict } from '../api/connectionCheck';
import type { GatewayErrorInfo } from '../api/types';

export interface ReportContext {
  profileLabel: string;
  baseUrl: string;
  model: string;
  testedAt: Date;
  /** Where the extra trusted certificates came from; undefined when only Node's bundled ones apply. */
  certificateSource: string | undefined;
  /** Every secret of the request: masked once more over the whole report, whatever a gateway echoed. */
  secrets: readonly (string | undefined)[];
}

/** The Test Connection report as Markdown: one table row per check with its verdict, details and, when it failed, the fix. */
export function renderConnectionReport(rows: readonly CheckRow[], context: ReportContext): string {
  const failed = rows.filter((row) => row.verdict === 'fail').length;
  const warned = rows.filter((row) => row.verdict === 'warn').length;
  const lines = [
    `# ${vscode.l10n.t('Fox Chat: Test Connection')}`,
    '',
    `- **${vscode.l10n.t('Profile')}:** ${cell(context.profileLabel)}`,
    `- **${vscode.l10n.t('Gateway')}:** ${cell(shownUrl(context.baseUrl))}`,
    `- **${vscode.l10n.t('Model')}:** ${cell(context.model)}`,
    `- **${vscode.l10n.t('Trusted certificates')}:** ${
      context.certificateSource
        ? vscode.l10n.t("Node's bundled roots and {0}", context.certificateSource)
        : vscode.l10n.t("Node's bundled roots")
    }`,
    `- **${vscode.l10n.t('Tested')}:** ${context.testedAt.toISOString()}`,
    '',
    failed > 0
      ? `**${vscode.l10n.t('{0} of {1} checks failed; the fixes are in the last column.', failed, rows.length)}**`
      : warned > 0
        ? `**${vscode.l10n.t('No check failed; {0} have a warning.', warned)}**`
        : `**${vscode.l10n.t('Every check passed.')}**`,
    '',
    `| ${vscode.l10n.t('Check')} | ${vscode.l10n.t('Result')} | ${vscode.l10n.t('Details')} | ${vscode.l10n.t('Fix')} |`,
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${checkName(row.id)} | ${verdictLabel(row.verdict)} | ${cell(details(row))} | ${cell(fix(row, context.model) ?? '')} |`),
    '',
  ];
  return mask(lines.join('\n'), context.secrets);
}

export function checkName(id: CheckId): string {
  switch (id) {
    case 'proxy':
      return vscode.l10n.t('Proxy');
    case 'dns':
      return vscode.l10n.t('DNS');
    case 'connection':
      return vscode.l10n.t('Connection and TLS');
    case 'key':
      return vscode.l10n.t('API key');
    case 'models':
      return vscode.l10n.t('Model list (GET /models)');
    case 'stream':
      return vscode.l10n.t('Streamed answer');
    case 'usage':
      return vscode.l10n.t('Usage reported');
    case 'tools':
      return vscode.l10n.t('Tool calling');
    case 'images':
      return vscode.l10n.t('Image input');
    case 'jsonMode':
      return vscode.l10n.t('JSON mode');
  }
}

export function verdictLabel(verdict: Verdict): string {
  switch (verdict) {
    case 'pass':
      return `✅ ${vscode.l10n.t('Passed')}`;
    case 'warn':
      return `⚠️ ${vscode.l10n.t('Warning')}`;
    case 'fail':
      return `❌ ${vscode.l10n.t('Failed')}`;
    case 'skip':
      return `➖ ${vscode.l10n.t('Skipped')}`;
  }
}

function details(row: CheckRow): string {
  switch (row.reason) {
    case 'notTried':
      return vscode.l10n.t('Not tried (an earlier check failed)');
    case 'direct':
      return vscode.l10n.t('Direct connection (no proxy applies)');
    case 'viaProxy':
      return row.source === 'setting'
        ? vscode.l10n.t('Through {0} (from http.proxy)', row.proxy)
        : vscode.l10n.t('Through {0} (from the https_proxy / http_proxy environment variable)', row.proxy);
    case 'tunnelFailed':
      return vscode.l10n.t('The proxy {0} did not connect: {1}', row.proxy, row.detail);
    case 'resolved':
      return vscode.l10n.t('Resolved to {0}', row.addresses.join(', '));
    case 'byProxy':
      return vscode.l10n.t('Resolved by the proxy');
    case 'plainHttp':
      return row.loopback ? vscode.l10n.t('Plain http to this machine') : vscode.l10n.t('Plain http: not encrypted');
    case 'verified':
      return vscode.l10n.t('{0}, certificate issued by {1}, valid until {2}', row.protocol, row.issuer || '?', row.validTo);
    case 'unverified':
      return vscode.l10n.t('{0}, certificate not verified: {1}', row.protocol, row.detail);
    case 'certificate':
      return vscode.l10n.t('Certificate rejected ({0}): {1}', row.code, row.detail);
    case 'unreachable':
      return vscode.l10n.t('Could not connect: {0}', row.detail);
    case 'accepted':
      return row.id === 'key' ? vscode.l10n.t('Accepted') : vscode.l10n.t('An image_url part was accepted');
    case 'notNeeded':
      return vscode.l10n.t('No key needed');
    case 'rejected':
      return row.id === 'key' ? vscode.l10n.t('Rejected (HTTP {0}): {1}', row.status, row.detail) : errorText(row.error);
    case 'listed':
      return vscode.l10n.t('{0} models, {1} among them', row.count, row.model);
    case 'modelMissing':
      return vscode.l10n.t('{0} models, {1} not among them', row.count, row.model);
    case 'failed':
      return row.id === 'dns' ? vscode.l10n.t('{0} could not be resolved: {1}', row.host, row.detail) : errorText(row.error);
    case 'streamed':
      return vscode.l10n.t('{0} answered; the first text came after {1} ms', row.model, row.firstTokenMs);
    case 'empty':
      return vscode.l10n.t('{0} ended the stream without any text', row.model);
    case 'reported':
      return vscode.l10n.t('{0} prompt + {1} completion tokens', row.usage.prompt_tokens, row.usage.completion_tokens);
    case 'missing':
      return vscode.l10n.t('The stream carried no usage');
    case 'called':
      return vscode.l10n.t('The model called the test tool');
    case 'notCalled':
      return vscode.l10n.t('The model answered without calling the tool');
    case 'valid':
      return vscode.l10n.t('response_format json_object gave valid JSON');
    case 'invalid':
      return vscode.l10n.t('The answer to response_format json_object was not valid JSON');
  }
}

/** What the user can do about a failure or warning; undefined when there is nothing to do. */
function fix(row: CheckRow, model: string): string | undefined {
  if (row.verdict === 'pass' || row.verdict === 'skip') return undefined;
  switch (row.reason) {
    case 'tunnelFailed':
      return row.status === 407
        ? vscode.l10n.t('The proxy wants credentials: put them in http.proxy (http://user:password@host:port).')
        : vscode.l10n.t('Check http.proxy (or the https_proxy environment variable), and that the proxy allows CONNECT to the gateway; add the gateway to http.noProxy if it is reachable without the proxy.');
    case 'failed':
      if (row.id === 'dns') return vscode.l10n.t('Check the host name in foxChat.baseUrl and your network; if this network reaches the internet only through a proxy, set http.proxy.');
      return failureFix(row.id, row.error, model);
    case 'certificate':
      if (row.code === 'CERT_HAS_EXPIRED') return vscode.l10n.t("The gateway's certificate has expired: tell whoever runs the gateway.");
      if (row.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return vscode.l10n.t('The certificate is for another host name: check the host in foxChat.baseUrl.');
      return vscode.l10n.t(
        "Add the certificate authority that signed the gateway's certificate to the system's trusted certificates (or point NODE_EXTRA_CA_CERTS at it) and reload the window. Turning http.proxyStrictSSL off also works, but then any certificate is accepted.",
      );
    case 'unreachable':
      return vscode.l10n.t('Check that the gateway is running and that the port in foxChat.baseUrl is right; a firewall may block the connection.');
    case 'plainHttp':
      return vscode.l10n.t('Use https if the gateway offers it: over plain http the key and the conversation can be read on the network.');
    case 'unverified':
      return vscode.l10n.t('http.proxyStrictSSL is off, so any certificate is accepted: turn it back on once the certificate is trusted.');
    case 'rejected':
      if (row.id === 'key') return vscode.l10n.t('Run "Fox Chat: Set API Key" and paste a valid key for this gateway.');
      return rejectedFix(row.id);
    case 'modelMissing':
      return vscode.l10n.t('Run "Fox Chat: Select Model" and pick a model the gateway lists.');
    case 'empty':
      return vscode.l10n.t('The model sent no text: try another model with "Fox Chat: Select Model".');
    case 'missing':
      return vscode.l10n.t('Nothing to fix: this gateway does not report token usage, so Fox Chat shows no token counts.');
    case 'notCalled':
      return vscode.l10n.t('This model may not support function calling: choose another model for the workspace tools, or turn off foxChat.tools.enabled.');
    case 'invalid':
      return vscode.l10n.t('This model may ignore JSON mode: choose another model for structured answers.');
    default:
      return undefined;
  }
}

function rejectedFix(id: CheckId): string {
  switch (id) {
    case 'tools':
      return vscode.l10n.t('The gateway does not accept tools with this model: turn off foxChat.tools.enabled, or choose a model with function calling.');
    case 'images':
      return vscode.l10n.t('The gateway does not accept image_url parts with this model: choose a vision model before attaching images.');
    case 'jsonMode':
      return vscode.l10n.t('The gateway does not accept response_format: keep foxChat.responseFormat at "text"; Fox Chat then asks for JSON in the prompt instead.');
    default:
      return vscode.l10n.t('The gateway refused the request: check foxChat.extraBody and the request settings (temperature, max tokens).');
  }
}

function failureFix(id: CheckId, error: GatewayErrorInfo, model: string): string {
  switch (error.kind) {
    case 'auth':
      return vscode.l10n.t('Run "Fox Chat: Set API Key" and paste a valid key for this gateway.');
    case 'notFound':
      return id === 'models'
        ? vscode.l10n.t('The gateway has no model list at this address: check that foxChat.baseUrl ends with the API version (e.g. /v1); if it does, type the model id in foxChat.model.')
        : vscode.l10n.t('The gateway does not know the model {0}: run "Fox Chat: Select Model".', model);
    case 'rateLimited':
      return vscode.l10n.t("The gateway is limiting requests with this key: wait a moment, or check the plan's limits.");
    case 'timeout':
      return vscode.l10n.t('The gateway was too slow: try again, or raise foxChat.idleTimeoutSeconds.');
    case 'badRequest':
      return rejectedFix(id);
    case 'network':
      return vscode.l10n.t('The connection broke off: check the network and the proxy settings, then run Test Connection again.');
    case 'server':
    case 'stream':
      return vscode.l10n.t('The gateway failed: try again later, or choose another model with "Fox Chat: Select Model".');
    case 'contentFilter':
      return vscode.l10n.t("The gateway's content filter withheld the test answer: choose another model with \"Fox Chat: Select Model\", or check the deployment's content filter policy.");
  }
}

function errorText(error: GatewayErrorInfo): string {
  return error.status !== undefined ? `HTTP ${error.status}: ${error.message}` : error.message;
}

/** A table cell: one line, no column separators. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** The gateway address without user info, which may hold a credential. */
function shownUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return baseUrl;
  }
}

function mask(text: string, secrets: readonly (string | undefined)[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) masked = masked.split(secret).join('••••');
  }
  return masked;
}
