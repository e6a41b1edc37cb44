import * as vscode from 'vscode';
import type { GatewayErrorInfo } from '../api/types';
import type { ErrorAction, ErrorView } from '../protocol';

export function actionLabels(): Record<ErrorAction, string> {
  return {
    setApiKey: vscode.l10n.t('Set API Key'),
    selectModel: vscode.l10n.t('Select Model'),
    openSettings: vscode.l10n.t('Open Settings'),
    retry: vscode.l10n.t('Retry'),
    showLog: vscode.l10n.t('Open Log'),
  };
}

/** Why an attempt is being retried, in a few words (the countdown says the rest). */
export function describeRetryReason(error: GatewayErrorInfo): string {
  switch (error.kind) {
    case 'rateLimited':
      return vscode.l10n.t('The gateway is rate limiting requests (429).');
    case 'server':
      return vscode.l10n.t('The gateway failed ({0}).', error.status ?? '');
    case 'network':
      return vscode.l10n.t('The gateway could not be reached.');
    case 'timeout':
      return vscode.l10n.t('The gateway stopped responding.');
    default:
      return error.message;
  }
}

/** Gateways word it differently ("does not support image input", "vision", "multimodal"). */
const REFUSES_IMAGES = /image|vision|multi-?modal|image_url/i;

/** A gateway failure as a sentence the user can act on, with the actions that help. */
export function describeGatewayError(
  error: GatewayErrorInfo,
  baseUrl: string,
  request: { model: string; hadImages: boolean } = { model: '', hadImages: false },
): ErrorView {
  const status = error.status ?? '';
  if (request.hadImages && (error.kind === 'badRequest' || error.kind === 'notFound') && REFUSES_IMAGES.test(error.message)) {
    return {
      message: vscode.l10n.t(
        'The model {0} does not accept images ({1}: {2}). Select a model with vision, such as openai/gpt-4o, or remove the image.',
        request.model,
        status,
        error.message,
      ),
      actions: ['selectModel', 'retry'],
    };
  }
  switch (error.kind) {
    case 'auth':
      return {
        message: vscode.l10n.t('The gateway rejected the API key ({0}): {1} Set a valid key for {2}.', status, error.message, baseUrl),
        actions: ['setApiKey', 'showLog'],
      };
    case 'notFound':
      return {
        message: vscode.l10n.t('The gateway answered 404: {0} The model may not exist there; select another one.', error.message),
        actions: ['selectModel', 'retry'],
      };
    case 'rateLimited':
      return {
        message:
          error.retryAfterSeconds !== undefined
            ? vscode.l10n.t('The gateway is rate limiting requests (429): {0} Try again in {1} s.', error.message, error.retryAfterSeconds)
            : vscode.l10n.t('The gateway is rate limiting requests (429): {0}', error.message),
        actions: ['retry'],
      };
    case 'badRequest':
      return {
        message: vscode.l10n.t('The gateway refused the request ({0}): {1}', status, error.message),
        actions: ['openSettings', 'showLog'],
      };
    case 'server':
      return {
        message: vscode.l10n.t('The gateway failed ({0}): {1}', status, error.message),
        actions: ['retry', 'showLog'],
      };
    case 'network':
      return {
        message: vscode.l10n.t('Could not reach the gateway at {0}: {1}', baseUrl, error.message),
        actions: ['retry', 'openSettings', 'showLog'],
      };
    case 'stream':
      return {
        message: vscode.l10n.t('The answer was interrupted: {0}', error.message),
        actions: ['retry', 'showLog'],
      };
    case 'timeout':
      return {
        message: vscode.l10n.t('The gateway stopped sending: {0}', error.message),
        actions: ['retry', 'showLog'],
      };
    case 'contentFilter':
      return {
        message: vscode.l10n.t("The gateway's content filter withheld the answer ({0}). Rephrase the question or select another model.", error.message),
        actions: ['retry', 'selectModel'],
      };
  }
}
