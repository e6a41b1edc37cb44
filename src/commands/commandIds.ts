/** Every command id Fox Chat contributes; package.json lists the same ids (a unit test checks). */
export const CommandIds = {
  ask: 'foxChat.ask',
  explainSelection: 'foxChat.explainSelection',
  addSelectionToChat: 'foxChat.addSelectionToChat',
  stop: 'foxChat.stop',
  newChat: 'foxChat.newChat',
  setApiKey: 'foxChat.setApiKey',
  clearApiKey: 'foxChat.clearApiKey',
  showLog: 'foxChat.showLog',
  selectModel: 'foxChat.selectModel',
  selectProfile: 'foxChat.selectProfile',
  copyLastRequestAsCurl: 'foxChat.copyLastRequestAsCurl',
} as const;

export const ContextKeys = {
  isStreaming: 'foxChat.isStreaming',
} as const;
