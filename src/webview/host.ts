// The one channel to the extension host: what the webview posts, and a handler for every message
// the host sends. The handler map is typed from HostToWebview, so a message type nobody handles
// (or a handler for a type that does not exist) does not compile.
import type { HostToWebview, WebviewToHost } from '../protocol';

export type Post = (message: WebviewToHost) => void;

/** The part of the object acquireVsCodeApi() returns that the panel uses. */
export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}

export type HostMessageType = HostToWebview['type'];

export type HostHandlers = { [K in HostMessageType]: (message: Extract<HostToWebview, { type: K }>) => void };

export function createPost(api: VsCodeApi): Post {
  return (message) => api.postMessage(message);
}

/** Runs the handler for `message`; anything that is not a host message is ignored. */
export function dispatch(handlers: HostHandlers, message: HostToWebview): void {
  const type: unknown = (message as { type?: unknown } | null | undefined)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) {
    return;
  }
  // The map's type pairs each key with its own message; TypeScript cannot follow that through an index.
  const handler = handlers[type as HostMessageType] as (message: HostToWebview) => void;
  handler(message);
}

/** Listens for host messages on `target` (the webview's window); returns a function that stops listening. */
export function connectHost(target: Window, handlers: HostHandlers): () => void {
  const listener = (event: MessageEvent<HostToWebview>): void => dispatch(handlers, event.data);
  target.addEventListener('message', listener);
  return () => target.removeEventListener('message', listener);
}
