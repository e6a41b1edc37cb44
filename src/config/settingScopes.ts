// vscode-free, so the unit test can hold it against package.json's capabilities.untrustedWorkspaces.

/**
 * Settings an untrusted workspace may not set (package.json restrictedConfigurations): the ones
 * that choose where the key goes, what a request costs, which workspace files tools may send, and
 * what the prompt asks for. VS Code's `get()` ignores their workspace values there; `inspect()`
 * does not, so code that inspects must ask `isRestrictedInUntrustedWorkspace` too.
 */
export const RESTRICTED_IN_UNTRUSTED_WORKSPACE: readonly string[] = [
  'foxChat.profile',
  'foxChat.baseUrl',
  'foxChat.model',
  'foxChat.maxTokens',
  'foxChat.responseFormat',
  'foxChat.jsonSchema',
  'foxChat.idleTimeoutSeconds',
  'foxChat.maxRetries',
  'foxChat.maxAnswerMB',
  'foxChat.imageDetail',
  'foxChat.reasoningEffort',
  'foxChat.tools.enabled',
  'foxChat.tools.toolChoice',
  'foxChat.tools.enabledTools',
  'foxChat.tools.maxRounds',
];

export function isRestrictedInUntrustedWorkspace(fullName: string): boolean {
  return RESTRICTED_IN_UNTRUSTED_WORKSPACE.includes(fullName);
}
