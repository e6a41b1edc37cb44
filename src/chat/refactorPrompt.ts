// The request for "Refactor Selection…": the selection with its file, language and lines, and an
// instruction; the model is told to answer with the replacement code only. vscode-free.

import type { ChatMessage } from '../api/types';
import { describeLineRange, formatSelection, type SelectionContext } from './prompts';

export type RefactorPresetId = 'simplify' | 'addTypes' | 'addDocs' | 'fixBug' | 'optimise';

export interface RefactorPreset {
  id: RefactorPresetId;
  /** English name, also accepted as an instruction (e.g. from a command argument). */
  name: string;
  /** What the model is asked to do. */
  instruction: string;
}

export const REFACTOR_PRESETS: readonly RefactorPreset[] = [
  {
    id: 'simplify',
    name: 'Simplify',
    instruction: 'Simplify this code: make it shorter and easier to read without changing what it does.',
  },
  {
    id: 'addTypes',
    name: 'Add Types',
    instruction: 'Add precise type annotations where the language supports them, without changing what the code does.',
  },
  {
    id: 'addDocs',
    name: 'Add Docs',
    instruction:
      'Add documentation comments in the idiomatic style of the language to the functions, classes and non-obvious parts. Do not change the code itself.',
  },
  {
    id: 'fixBug',
    name: 'Fix Bug',
    instruction: 'Find and fix the bugs in this code. Keep everything that is correct as it is.',
  },
  {
    id: 'optimise',
    name: 'Optimise',
    instruction: 'Make this code faster or lighter on memory without changing what it does.',
  },
];

export const REFACTOR_SYSTEM_PROMPT =
  'You are Fox Chat, a coding assistant inside Visual Studio Code, rewriting code the user selected. ' +
  'Reply with the replacement code only: no explanation, no Markdown code fences, nothing before or after it. ' +
  'The reply replaces exactly the selected lines, so keep their indentation, language and surrounding context in mind.';

const normalise = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, '');

/** A preset by its id or English name (case and spaces ignored). */
export function findPreset(text: string): RefactorPreset | undefined {
  const key = normalise(text);
  return REFACTOR_PRESETS.find((preset) => normalise(preset.id) === key || normalise(preset.name) === key);
}

/** The instruction for the model: a preset's, or the user's own words. */
export function resolveInstruction(text: string): string {
  return findPreset(text)?.instruction ?? text.trim();
}

export function refactorUserMessage(selection: SelectionContext, instruction: string): string {
  return (
    `${instruction}\n\n` +
    `Reply with only the code that replaces line${selection.startLine === selection.endLine ? '' : 's'} ${describeLineRange(selection)} ` +
    'of the file below, without code fences or explanations.\n\n' +
    formatSelection(selection)
  );
}

export function buildRefactorMessages(selection: SelectionContext, instruction: string): ChatMessage[] {
  return [
    { role: 'system', content: REFACTOR_SYSTEM_PROMPT },
    { role: 'user', content: refactorUserMessage(selection, instruction) },
  ];
}
