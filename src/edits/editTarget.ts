// The little an inline edit session needs from a document (vscode-free). The extension backs it with
// a TextDocument and its editor (documentEditTarget.ts); the unit tests with a string buffer.

import type { TextChange } from './rangeTracker';

export interface UndoStops {
  before: boolean;
  after: boolean;
}

export interface TargetChangeEvent {
  /** The document's version after this event. */
  version: number;
  /** Applied one after the other, each in the offsets left by the ones before it. */
  changes: readonly TextChange[];
  /** Offsets from before this event no longer map onto the document (e.g. its line endings changed). */
  reset?: boolean;
}

export interface Disposable {
  dispose(): void;
}

export interface EditTarget {
  /** Increases by one with each change event. */
  readonly version: number;
  /** The document's line ending; inserted text is expected to use it. */
  readonly eol: '\n' | '\r\n';
  /** True once the document is gone: nothing can be edited or restored any more. */
  readonly closed: boolean;
  getText(start: number, end: number): string;
  /**
   * Replaces `length` characters at `offset` with `text`, only if the document is still at
   * `version` when the edit is applied. Resolves true when it was applied; its change event (with
   * version `version + 1`) is delivered before or after that, but always delivered.
   */
  replace(version: number, offset: number, length: number, text: string, undo: UndoStops): Promise<boolean>;
  /** Every change of the document, whoever made it, in order. */
  onDidChange(listener: (event: TargetChangeEvent) => void): Disposable;
}
