// Runs the integration suite (index.ts + *.test.ts here) in desktop VS Code via @vscode/test-electron.
// Needs the VS Code download from update.code.visualstudio.com (not reachable on the CI machines
// here; there runInCodeServer.ts runs the same suite in code-server). Usage:
//   npm run build && npm run test:electron            (latest stable VS Code)
//   FOX_VSCODE_VERSION=1.100.3 npm run test:electron  (the oldest version the engine allows)
// The extension is loaded from the repository (dist/extension.js, so build first).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // out/test/suite/runElectron.js -> repository root
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const extensionTestsPath = path.resolve(__dirname, 'index');
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first.');
  }

  // A throw-away workspace folder (Explain Selection reports paths relative to it) and profile.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fox-chat-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  try {
    await runTests({
      version: process.env.FOX_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--disable-extensions', // only the extension under development
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
      ],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('Integration tests failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
