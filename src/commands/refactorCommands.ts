import * as vscode from 'vscode';
import { REFACTOR_PRESETS, resolveInstruction, type RefactorPresetId } from '../chat/refactorPrompt';
import { InlineEditController } from '../edits/inlineEditController';
import type { StreamFn } from '../chat/request';
import type { ConnectionResolver } from '../services/connectionResolver';
import { refuseIgnoredSelection } from '../services/ignoredFiles';
import { selectionContext } from '../editor/selectionContext';
import { CommandIds } from '../commandIds';

/** The quick pick's labels for the presets, in the user's language. */
function presetLabels(): Record<RefactorPresetId, { label: string; detail: string }> {
  return {
    simplify: { label: vscode.l10n.t('Simplify'), detail: vscode.l10n.t('Shorter and easier to read, same behaviour') },
    addTypes: { label: vscode.l10n.t('Add Types'), detail: vscode.l10n.t('Precise type annotations where the language has them') },
    addDocs: { label: vscode.l10n.t('Add Docs'), detail: vscode.l10n.t('Documentation comments in the language’s usual style') },
    fixBug: { label: vscode.l10n.t('Fix Bug'), detail: vscode.l10n.t('Find and fix mistakes, keep what is correct') },
    optimise: { label: vscode.l10n.t('Optimise'), detail: vscode.l10n.t('Faster or lighter on memory, same behaviour') },
  };
}

interface InstructionItem extends vscode.QuickPickItem {
  instruction?: string;
  describe?: boolean;
}

/** Asks for the instruction: a preset, or the user's own words typed into the same box. */
async function pickInstruction(): Promise<string | undefined> {
  const labels = presetLabels();
  const presets: InstructionItem[] = REFACTOR_PRESETS.map((preset) => ({
    label: labels[preset.id].label,
    detail: labels[preset.id].detail,
    instruction: preset.instruction,
  }));
  const describe: InstructionItem = {
    label: `$(edit) ${vscode.l10n.t('Describe the change…')}`,
    detail: vscode.l10n.t('Type what the code should become, e.g. "use async/await"'),
    describe: true,
  };
  const pick = vscode.window.createQuickPick<InstructionItem>();
  pick.title = vscode.l10n.t('Fox Chat: Refactor Selection');
  pick.placeholder = vscode.l10n.t('Pick a change, or describe your own');
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  pick.items = [...presets, describe];
  const disposables: vscode.Disposable[] = [pick];
  try {
    const chosen = await new Promise<InstructionItem | 'typed' | undefined>((resolve) => {
      disposables.push(
        pick.onDidChangeValue((value) => {
          const typed = value.trim();
          // The typed words as an instruction of their own, after any preset they match.
          pick.items = typed
            ? [...presets, { label: typed, description: vscode.l10n.t('your instruction'), alwaysShow: true, instruction: typed }]
            : [...presets, describe];
        }),
        pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? (pick.value.trim() ? 'typed' : undefined))),
        pick.onDidHide(() => resolve(undefined)),
      );
      pick.show();
    });
    if (chosen === 'typed') return pick.value.trim();
    if (!chosen) return undefined;
    if (!chosen.describe) return chosen.instruction;
  } finally {
    for (const disposable of disposables) disposable.dispose();
  }
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Fox Chat: Refactor Selection'),
    prompt: vscode.l10n.t('Describe the change; the new code streams into the editor in place of the selection.'),
    placeHolder: vscode.l10n.t('Use early returns instead of nested ifs'),
    ignoreFocusOut: true,
  });
  return typed?.trim() || undefined;
}

/** A non-empty string field of the command's object argument. */
function stringField(args: unknown, field: 'instruction' | 'model'): string | undefined {
  const value = typeof args === 'object' && args !== null ? (args as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The instruction passed to the command (`{ instruction: 'Simplify' }` or a string), if any. */
function instructionArgument(args: unknown): string | undefined {
  return typeof args === 'string' ? (args.trim() !== '' ? args : undefined) : stringField(args, 'instruction');
}

/**
 * Registers Refactor Selection…, Ask About Selection… and the inline edit commands. Returns the
 * controller, whose `applyCode(editor, code)` turns a chat code block into a reviewable inline edit.
 */
export function registerRefactorCommands(
  context: vscode.ExtensionContext,
  resolver: ConnectionResolver,
  stream: StreamFn,
  log: vscode.LogOutputChannel,
): InlineEditController {
  const controller = new InlineEditController(resolver, log, stream);
  context.subscriptions.push(
    controller,
    vscode.commands.registerCommand(CommandIds.refactorSelection, async (args?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some code first, then run Refactor Selection.'));
        return false;
      }
      if (controller.isEditing(editor.document)) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Fox Chat is already rewriting code in this file. Accept or reject that change first.'),
        );
        return false;
      }
      if (await refuseIgnoredSelection(editor.document)) return false;
      const instruction = instructionArgument(args) ?? (await pickInstruction());
      if (!instruction) return false;
      // `{ model }` comes from a prompt file's front matter (promptRunner.ts).
      return controller.start(editor, resolveInstruction(instruction), stringField(args, 'model'));
    }),
    vscode.commands.registerCommand(CommandIds.askAboutSelection, async (question?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some code first, then run Ask About Selection.'));
        return;
      }
      if (await refuseIgnoredSelection(editor.document)) return;
      const text =
        typeof question === 'string' && question.trim() !== ''
          ? question
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Fox Chat: Ask About Selection'),
              prompt: vscode.l10n.t('Ask about the selected code; the answer streams into the Fox Chat panel.'),
              placeHolder: vscode.l10n.t('Why does this loop never end?'),
              ignoreFocusOut: true,
            });
      if (!text || text.trim() === '') return;
      await vscode.commands.executeCommand(CommandIds.ask, text.trim(), [selectionContext(editor)]);
    }),
    vscode.commands.registerCommand(CommandIds.acceptInlineEdit, (uri?: unknown) => controller.accept(uri)),
    vscode.commands.registerCommand(CommandIds.rejectInlineEdit, (uri?: unknown) => controller.reject(uri)),
    vscode.commands.registerCommand(CommandIds.stopInlineEdit, (uri?: unknown) => controller.stop(uri)),
    vscode.commands.registerCommand(CommandIds.showInlineEditDiff, (uri?: unknown) => controller.showDiff(uri)),
    vscode.commands.registerCommand(CommandIds.acceptInlineEditHunk, (uri?: unknown, hunk?: unknown) => controller.decideHunk('accept', uri, hunk)),
    vscode.commands.registerCommand(CommandIds.rejectInlineEditHunk, (uri?: unknown, hunk?: unknown) => controller.decideHunk('reject', uri, hunk)),
  );
  return controller;
}
