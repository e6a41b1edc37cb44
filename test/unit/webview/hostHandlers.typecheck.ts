// Compile-time checks, run by `npm run typecheck` (nothing here executes): the webview's handler
// map must name every host message type, no other, each with a handler for its own message.
import type { HostToWebview } from '../../../src/protocol';
import type { HostHandlers } from '../../../src/webview/host';

const ignore = (): void => undefined;

export const everyType: HostHandlers = {
  init: ignore,
  state: ignore,
  messageAdded: ignore,
  delta: ignore,
  reasoningDelta: ignore,
  retryStatus: ignore,
  messageModel: ignore,
  messageFinished: ignore,
  toolCallPreparing: ignore,
  toolUpdated: ignore,
  messageRemoved: ignore,
  streaming: ignore,
  model: ignore,
  pendingContext: ignore,
  downscaleImage: ignore,
  imageLimits: ignore,
  focusComposer: ignore,
  restoreInput: ignore,
  prompts: ignore,
};

// @ts-expect-error a host message type without a handler does not compile
export const missingOne: HostHandlers = {
  init: ignore,
  state: ignore,
  messageAdded: ignore,
  delta: ignore,
  reasoningDelta: ignore,
  retryStatus: ignore,
  messageModel: ignore,
  messageFinished: ignore,
  toolCallPreparing: ignore,
  toolUpdated: ignore,
  messageRemoved: ignore,
  streaming: ignore,
  model: ignore,
  pendingContext: ignore,
  downscaleImage: ignore,
  imageLimits: ignore,
  focusComposer: ignore,
};

export const oneTooMany: HostHandlers = {
  ...everyType,
  // @ts-expect-error a handler for a message the host never sends does not compile
  notAHostMessage: ignore,
};

export const wrongMessage: HostHandlers = {
  ...everyType,
  // @ts-expect-error each handler takes its own message type
  delta: (message: Extract<HostToWebview, { type: 'model' }>) => void message.model,
};
