import * as vscode from 'vscode';
import type { ApiKeyStore } from '../config/secrets';
import { presetFor } from '../config/profiles';
import { activeProfileId } from '../config/settings';
import type { KeybindingView, WelcomeView } from '../protocol';

/** The main keybindings of package.json, spelled for this platform (package.json keeps the real ones). */
export function welcomeKeybindings(platform: NodeJS.Platform = process.platform): KeybindingView[] {
  const mod = platform === 'darwin' ? 'Cmd' : 'Ctrl';
  return [
    { label: vscode.l10n.t('Ask from anywhere'), keys: `${mod}+Alt+I` },
    { label: vscode.l10n.t('Refactor the selection'), keys: `${mod}+Alt+R` },
    { label: vscode.l10n.t('Accept / reject an inline edit'), keys: `${mod}+Shift+Enter / ${mod}+Shift+Backspace` },
    { label: vscode.l10n.t('Send / new line in the composer'), keys: 'Enter / Shift+Enter' },
  ];
}

/** The active profile, and whether it still needs a key (local servers take none). Never the key itself. */
export async function readWelcome(keys: ApiKeyStore): Promise<WelcomeView> {
  const id = activeProfileId();
  const preset = presetFor(id);
  return { profile: preset.label, needsApiKey: preset.requiresKey && (await keys.get(id)) === undefined };
}
