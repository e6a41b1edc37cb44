// Two bundles: the extension host (Node, `vscode` provided by the editor) and the chat webview (browser).
const { copyFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const shared = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'none' : 'inline',
  logLevel: 'info',
};

const bundles = [
  {
    ...shared,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...shared,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    tsconfig: 'src/webview/tsconfig.json',
  },
];

// The panel's icon font. The package is built with --no-dependencies, so node_modules is not in the
// .vsix: the two files it needs travel in dist/ instead.
const CODICON_FILES = ['codicon.css', 'codicon.ttf'];

function copyCodicons() {
  const source = path.dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  mkdirSync('dist', { recursive: true });
  for (const file of CODICON_FILES) {
    copyFileSync(path.join(source, file), path.join('dist', file));
  }
}

async function main() {
  copyCodicons();
  const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
