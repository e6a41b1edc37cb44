import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The first argument of every `l10n.t(...)` call in src/, read from the syntax tree. */
function runtimeStrings(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 't' &&
        node.expression.expression.getText(source).endsWith('l10n')
      ) {
        const [first] = node.arguments;
        assert.ok(first && ts.isStringLiteralLike(first), `${file}: l10n.t needs a literal string, got ${first?.getText(source)}`);
        found.add(first.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('runtime translations', () => {
  const strings = runtimeStrings();

  it('finds the localised strings in the source', () => {
    assert.ok(strings.size > 20, `only ${strings.size} strings found`);
    assert.ok(strings.has('Set API Key'));
  });

  for (const language of ['de', 'es']) {
    it(`l10n/bundle.l10n.${language}.json translates every string, keeps placeholders and has no unused key`, () => {
      const bundle = JSON.parse(readFileSync(join(root, 'l10n', `bundle.l10n.${language}.json`), 'utf8')) as Record<string, string>;
      assert.deepEqual([...strings].filter((key) => !(key in bundle)).sort(), [], 'missing');
      assert.deepEqual(Object.keys(bundle).filter((key) => !strings.has(key)).sort(), [], 'unused');
      for (const [english, translated] of Object.entries(bundle)) {
        const placeholders = (text: string): string[] => (text.match(/\{\d+\}/g) ?? []).sort();
        assert.deepEqual(placeholders(translated), placeholders(english), english);
        if (english.split(' ').length > 2) {
          assert.notEqual(translated, english, `not translated: ${english}`);
        }
      }
    });
  }
});

/** Texts that are the same in English and in that language; any other identical "translation" is an English copy. */
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  de: ['Fox Chat', 'Chat'],
  es: ['Fox Chat', 'Chat'],
};

/** {0} placeholders, $(codicons), #setting# links and (command:…) links: a translation must keep all of them. */
function markers(text: string): string[] {
  return (text.match(/\{\d+\}|\$\([a-z0-9~-]+\)|#[\w.]+#|\(command:[^)]+\)/g) ?? []).sort();
}

describe('translation quality', () => {
  const readJson = (...parts: string[]): Record<string, string> =>
    JSON.parse(readFileSync(join(root, ...parts), 'utf8')) as Record<string, string>;
  const english = readJson('package.nls.json');

  for (const language of ['de', 'es']) {
    it(`${language}: no text is a copy of the English unless it is on the allow-list, and markers are kept`, () => {
      const allowed = SAME_AS_ENGLISH[language] ?? [];
      const copies: string[] = [];
      const lostMarkers: string[] = [];
      for (const [key, translated] of Object.entries(readJson(`package.nls.${language}.json`))) {
        const source = english[key];
        if (source === undefined) continue; // unused keys are the manifest test's business
        if (translated === source && !allowed.includes(translated)) copies.push(`package.nls.${language}.json ${key}: ${translated}`);
        if (markers(translated).join() !== markers(source).join()) lostMarkers.push(`package.nls.${language}.json ${key}`);
      }
      for (const [source, translated] of Object.entries(readJson('l10n', `bundle.l10n.${language}.json`))) {
        if (translated === source && !allowed.includes(translated)) copies.push(`bundle.l10n.${language}.json: ${source}`);
        if (markers(translated).join() !== markers(source).join()) lostMarkers.push(`bundle.l10n.${language}.json: ${source}`);
      }
      assert.deepEqual(copies, [], 'English copies: translate them, or add a word that is the same in this language to SAME_AS_ENGLISH');
      assert.deepEqual(lostMarkers, [], 'translations that lost or changed a {0}, $(icon), #setting# or (command:…) marker');
    });
  }
});
