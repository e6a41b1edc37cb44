/** Every command id Fox Chat contributes; package.json lists the same ids (a unit test checks). */
export const CommandIds = {
  ask: 'foxChat.ask',
  explainSelection: 'foxChat.explainSelection',
  addSelectionToChat: 'foxChat.addSelectionToChat',
  suggestTests: 'foxChat.suggestTests',
  attachImage: 'foxChat.attachImage',
  stop: 'foxChat.stop',
  newChat: 'foxChat.newChat',
  showHistory: 'foxChat.showHistory',
  setApiKey: 'foxChat.setApiKey',
  clearApiKey: 'foxChat.clearApiKey',
  showLog: 'foxChat.showLog',
  selectModel: 'foxChat.selectModel',
  selectProfile: 'foxChat.selectProfile',
  copyLastRequestAsCurl: 'foxChat.copyLastRequestAsCurl',
  refactorSelection: 'foxChat.refactorSelection',
  askAboutSelection: 'foxChat.askAboutSelection',
  acceptInlineEdit: 'foxChat.acceptInlineEdit',
  rejectInlineEdit: 'foxChat.rejectInlineEdit',
  stopInlineEdit: 'foxChat.stopInlineEdit',
  showInlineEditDiff: 'foxChat.showInlineEditDiff',
  acceptInlineEditHunk: 'foxChat.acceptInlineEditHunk',
  rejectInlineEditHunk: 'foxChat.rejectInlineEditHunk',
  openWalkthrough: 'foxChat.openWalkthrough',
  openSampleFile: 'foxChat.openSampleFile',
  manageTrustedGateways: 'foxChat.manageTrustedGateways',
  setSecretHeader: 'foxChat.setSecretHeader',
  testConnection: 'foxChat.testConnection',
  runPrompt: 'foxChat.runPrompt',
  newPrompt: 'foxChat.newPrompt',
  showGatewayCapabilities: 'foxChat.showGatewayCapabilities',
  resetGatewayCapabilities: 'foxChat.resetGatewayCapabilities',
} as const;

export const ContextKeys = {
  isStreaming: 'foxChat.isStreaming',
  /** The active editor's document has an inline edit streaming or waiting for Accept / Reject. */
  inlineEditActive: 'foxChat.inlineEditActive',
  /** ... and it is still streaming. */
  inlineEditStreaming: 'foxChat.inlineEditStreaming',
  /** A chat answer has finished (remembered across sessions); completes the walkthrough's "ask" step. */
  hasAnswered: 'foxChat.hasAnswered',
} as const;

/** The Get Started walkthrough's id in package.json; the workbench knows it as `<extension id>#<this>`. */
export const WALKTHROUGH_ID = 'getStarted';
