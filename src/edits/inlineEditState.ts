// Where an inline edit session is, as one value: the phase, and what only that phase knows
// (why streaming stops, whether the answer is complete, how the session ended). vscode-free.

import type { GatewayErrorInfo } from '../api/types';

export type InlineEditPhase = 'waiting' | 'streaming' | 'review' | 'ended';

export type InlineEditEndReason =
  /** The user kept the new text. */
  | 'accepted'
  /** The user rejected it: the original is back. */
  | 'rejected'
  /** The stream failed (see `error`): the original is back. */
  | 'failed'
  /** The document refused the edits (e.g. read-only): the original is back where possible. */
  | 'editFailed'
  /** The user edited inside the range while it streamed: the original is back. */
  | 'conflict'
  /** The editor or document went away while it streamed: the original is back if the document is still open. */
  | 'closed'
  /** The document was saved while it streamed: the original is back (and is what was saved). */
  | 'saved'
  /** The model answered no code: nothing was changed. */
  | 'empty'
  /** Stopped before any code arrived: nothing was changed. */
  | 'cancelled'
  /** Someone replaced everything around and including the range: nothing left to restore. */
  | 'superseded'
  /** The range could no longer be located with certainty (should not happen): nothing was touched. */
  | 'lostTrack';

export interface InlineEditEnd {
  reason: InlineEditEndReason;
  /** The original text is in the document again (true only for reasons that restore). */
  restored: boolean;
  error?: GatewayErrorInfo;
}

/** Why streaming is to end before the answer is complete; the first interruption counts. */
export type StreamStop =
  /** The user's Stop: what arrived so far stays, for review. */
  | { kind: 'stop' }
  /** The session is to end with `reason`, the original put back where that is possible. */
  | { kind: 'interrupt'; reason: InlineEditEndReason; error?: GatewayErrorInfo };

export interface ReadingState {
  /** `waiting` until code has replaced the original, `streaming` from then on. */
  phase: 'waiting' | 'streaming';
  /** run() is reading the answer: once it has wound down, it finishes the session (before that, whoever interrupts does). */
  runStarted: boolean;
  /** The answer has been read to its end: the pending text is all there is. */
  answerComplete: boolean;
  stop?: StreamStop;
}

export type SessionState =
  | ReadingState
  | { phase: 'review' }
  /** The edit that ends the session (restore or accept) is under way; `shown` is the phase reported meanwhile. */
  | { phase: 'finishing'; shown: 'waiting' | 'streaming' | 'review' }
  | { phase: 'ended'; end: InlineEditEnd };

/** The state while the answer is being read, or undefined. */
export function readingState(state: SessionState): ReadingState | undefined {
  return state.phase === 'waiting' || state.phase === 'streaming' ? state : undefined;
}

/** The phase a session reports: finishing shows as the phase it is finishing from. */
export function shownPhase(state: SessionState): InlineEditPhase {
  return state.phase === 'finishing' ? state.shown : state.phase;
}
