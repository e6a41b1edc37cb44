// The one-way "please answer this input box" channel between the suite (inside the extension host)
// and runInCodeServer.ts (outside, driving the browser with Playwright). No vscode import: the
// runner loads this file too.
//
// Nothing in VS Code 1.100's command set can type into a quick input box: the `type` /
// `default:type` command only reaches a focused *code editor* (EditorHandlerCommand returns when
// getFocusedCodeEditor() is null), paste falls back to the browser's execCommand, and
// `workbench.action.quickOpen` replaces (cancels) the open input. So when a runner can drive the
// real UI it sets FOX_SUITE_UI_BRIDGE=playwright in code-server's environment (the extension host
// inherits it); the suite then prints a marker line on the console (which the workbench forwards to
// the browser console) and the runner types the value into the password box and presses Enter.

export const UI_BRIDGE_ENV = 'FOX_SUITE_UI_BRIDGE';
export const UI_BRIDGE_PLAYWRIGHT = 'playwright';

const MARKER = '[fox-suite:answer-input-box]';

export interface InputBoxAnswer {
  /** Text to type. */
  value: string;
  /** Text the box's title must contain before anything is typed. */
  title: string;
  /** Only a password box (input type=password) may be answered. */
  password: boolean;
}

export function formatInputBoxRequest(answer: InputBoxAnswer): string {
  return `${MARKER} ${JSON.stringify(answer)}`;
}

/** The request in a console line, or undefined when the line is not one. */
export function parseInputBoxRequest(line: string): InputBoxAnswer | undefined {
  const at = line.indexOf(MARKER);
  if (at < 0) {
    return undefined;
  }
  const json = line.slice(at + MARKER.length).trim();
  const end = json.lastIndexOf('}');
  try {
    const parsed: unknown = JSON.parse(json.slice(0, end + 1));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as InputBoxAnswer).value === 'string' &&
      typeof (parsed as InputBoxAnswer).title === 'string' &&
      typeof (parsed as InputBoxAnswer).password === 'boolean'
    ) {
      return parsed as InputBoxAnswer;
    }
  } catch {
    // not ours
  }
  return undefined;
}
