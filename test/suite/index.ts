// Entry point of the integration suite that runs INSIDE the VS Code extension host (yo-code shape).
// The editor loads this module through `extensionTestsPath` (the folder out/test/suite, or
// out/test/suite/index) and calls `run()`; the promise decides the exit code of the test run.
//
// Used by runElectron.ts (@vscode/test-electron, desktop VS Code) and runInCodeServer.ts
// (code-server's real extension host, driven through the workbench URL's `payload` route).

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000 });
  // Optional filter for a quick loop, e.g. FOX_SUITE_GREP="Explain Selection".
  const grep = process.env.FOX_SUITE_GREP;
  if (grep) {
    mocha.grep(grep);
  }

  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) {
    return Promise.reject(new Error(`No *.test.js files in ${__dirname}; compile the tests first (npx tsc -p . --outDir out).`));
  }
  for (const name of files) {
    mocha.addFile(path.join(__dirname, name));
  }

  return new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) {
          reject(new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed.`));
        } else {
          resolve();
        }
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
