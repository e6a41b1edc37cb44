// Shared by the host (checking a JSON answer) and the webview (showing it as a tree), so both
// agree on what counts as a JSON answer. No vscode, no DOM.

// A model asked by prompt may still wrap its answer in one fence, whatever tag it puts on it.
const FENCE = /^```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** The JSON text of an answer: without surrounding blank space and one surrounding ``` fence. */
export function jsonAnswerText(text: string): string {
  const trimmed = text.trim();
  return FENCE.exec(trimmed)?.[1] ?? trimmed;
}
