// When a message may go to the chat webview. No vscode import: unit-tested in plain Node.
import type { HostToWebview } from '../protocol';

/** The part of a vscode.WebviewView this needs (a vscode.WebviewView is one). */
export interface ConnectableView {
  readonly visible: boolean;
  readonly webview: { postMessage(message: HostToWebview): PromiseLike<boolean> };
}

/** What became of a message: posted now, kept for the next `ready`, or dropped for good (disposed). */
export type Delivery = 'sent' | 'queued' | 'dropped';

/**
 * A webview that is still loading or hidden drops messages, and one that is disposed throws on
 * `postMessage`. So nothing is posted before the webview says `ready`, while it is hidden, or after
 * it (or the provider) is disposed; `ready` is answered with the greeting (the whole state), and a
 * webview shown again gets the whole state once more. VS Code reloads a view's document when it is
 * shown again (no retainContextWhenHidden), which then says `ready` again; a document that was
 * kept gets the state on the visibility change.
 */
export class WebviewConnection {
  private view: ConnectableView | undefined;
  private ready = false;
  private disposed = false;
  /** Messages that must reach the webview even if it is loading or hidden now (e.g. a downscale request). */
  private queued: HostToWebview[] = [];

  /** `greeting`: what a webview that says `ready` gets first, built at that moment. */
  constructor(private readonly greeting: () => readonly HostToWebview[]) {}

  /** A webview was resolved: it gets nothing until it says `ready`. */
  attach(view: ConnectableView): void {
    if (this.disposed) return;
    this.view = view;
    this.ready = false;
  }

  /** The webview was disposed: nothing more goes to it. */
  detach(view: ConnectableView): void {
    if (this.view === view) {
      this.view = undefined;
      this.ready = false;
    }
  }

  /** The webview said `ready`: the greeting, then what waited for it. */
  markReady(): void {
    if (!this.view) return;
    this.ready = true;
    this.greeting().forEach((message) => this.send(message));
    this.flush();
  }

  /** The view was shown or hidden; shown again, it gets `state` (built only then) and what waited. */
  visibilityChanged(state: () => HostToWebview): void {
    if (this.canPost) {
      this.send(state());
      this.flush();
    }
  }

  /** A webview that would take a message now. */
  get canPost(): boolean {
    return this.ready && this.view !== undefined && this.view.visible;
  }

  /** Posts if the webview can take it now; else drops it (the next greeting or state carries it). */
  post(message: HostToWebview): void {
    if (this.canPost) this.send(message);
  }

  /** Posts now, or keeps the message for the next `ready` (or showing) of this or a new webview. */
  postWhenReady(message: HostToWebview): Delivery {
    if (this.disposed) return 'dropped';
    if (this.canPost) {
      this.send(message);
      return 'sent';
    }
    this.queued.push(message);
    return 'queued';
  }

  dispose(): void {
    this.disposed = true;
    this.view = undefined;
    this.ready = false;
    this.queued = [];
  }

  private flush(): void {
    this.queued.splice(0).forEach((message) => this.send(message));
  }

  private send(message: HostToWebview): void {
    const view = this.view;
    if (!view) return;
    // The checks above keep messages from a torn-down webview; a webview that goes away in the
    // same tick can still refuse one, which must not break the session event that posted it.
    try {
      view.webview.postMessage(message).then(undefined, () => undefined);
    } catch {
      // disposed between the check and the post
    }
  }
}
