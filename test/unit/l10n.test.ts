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
