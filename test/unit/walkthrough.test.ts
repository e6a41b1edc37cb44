import { strict as assert } from 'node:assert';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CommandIds, ContextKeys, WALKTHROUGH_ID } from '../../src/commandIds';

const root = join(__dirname, '..', '..', '..');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(root, name), 'utf8')) as T;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}

const walkthroughs = readJson<{ contributes: { walkthroughs?: Walkthrough[] } }>('package.json').contributes.walkthroughs ?? [];
const nls = {
  en: readJson<Record<string, string>>('package.nls.json'),
  de: readJson<Record<string, string>>('package.nls.de.json'),
  es: readJson<Record<string, string>>('package.nls.es.json'),
};
/** The key of a `%key%` manifest value. */
const keyOf = (value: string | undefined): string => /^%([^%]+)%$/.exec(value ?? '')?.[1] ?? assert.fail(`not a %key%: ${value}`);
const commandLinks = (text: string): string[] => Array.from(text.matchAll(/\]\(command:([^)?]+)/g), (match) => match[1] ?? '');

describe('Get Started walkthrough (package.json)', () => {
  const walkthrough = walkthroughs.find((candidate) => candidate.id === WALKTHROUGH_ID);

  it('is contributed under the id the "Get Started" command opens', () => {
    assert.ok(walkthrough, `no walkthrough ${WALKTHROUGH_ID} in ${JSON.stringify(walkthroughs.map((w) => w.id))}`);
    assert.deepEqual(
      walkthrough.steps.map((step) => step.id),
      ['selectProfile', 'setApiKey', 'selectModel', 'ask', 'explain', 'refactor', 'prompts'],
    );
  });

  it('completes each step on a command Fox Chat contributes or a context key it sets', () => {
    const commands = new Set<string>(Object.values(CommandIds));
    const contextKeys = new Set<string>(Object.values(ContextKeys));
    for (const step of walkthrough?.steps ?? []) {
      assert.ok(step.completionEvents && step.completionEvents.length > 0, `${step.id} has no completionEvents (it would complete on a mere click)`);
      for (const event of step.completionEvents) {
        const [, kind, value] = /^(onCommand|onContext):(.+)$/.exec(event) ?? [];
        assert.ok(kind && value, `${step.id}: unexpected event ${event}`);
        assert.ok((kind === 'onCommand' ? commands : contextKeys).has(value), `${step.id}: ${event} names nothing Fox Chat has`);
      }
    }
    const ask = walkthrough?.steps.find((step) => step.id === 'ask');
    // Running Ask is not enough: the step waits for an answer that really arrived.
    assert.deepEqual(ask?.completionEvents, [`onContext:${ContextKeys.hasAnswered}`]);
  });

  it('has small, theme-aware SVG media with alt text', () => {
    let total = 0;
    for (const step of walkthrough?.steps ?? []) {
      const file = step.media.svg ?? assert.fail(`${step.id}: media ${JSON.stringify(step.media)} is not an SVG`);
      assert.ok(file.startsWith('media/walkthrough/'), `${step.id}: ${file} is outside media/walkthrough/ (not packaged)`);
      keyOf(step.media.altText);
      const text = readFileSync(join(root, file), 'utf8');
      total += statSync(join(root, file)).size;
      assert.ok(text.includes('var(--vscode-'), `${file} uses no theme colour`);
      // Hard-coded colours are allowed only as the fallback of a theme variable.
      const bare = text.replace(/var\(--vscode-[\w-]+,#[0-9a-f]+\)/gi, '').match(/#[0-9a-f]{3,8}\b/gi);
      assert.equal(bare, null, `${file} hard-codes ${String(bare)}`);
    }
    assert.ok(total < 12_000, `walkthrough media is ${total} bytes`);
  });

  it('is translated, and every translation keeps the buttons (command links) of the English text', () => {
    const texts = walkthrough ? [walkthrough.title, walkthrough.description, ...walkthrough.steps.flatMap((step) => [step.title, step.description])] : [];
    const contributed = new Set<string>([...Object.values(CommandIds), 'foxChat.chatView.focus']);
    for (const value of texts) {
      const key = keyOf(value);
      const english = nls.en[key] ?? assert.fail(`${key} missing in package.nls.json`);
      for (const link of commandLinks(english)) {
        assert.ok(contributed.has(link), `${key}: button runs ${link}, which Fox Chat does not contribute`);
      }
      for (const language of ['de', 'es'] as const) {
        const translated = nls[language][key] ?? assert.fail(`${key} missing in package.nls.${language}.json`);
        assert.notEqual(translated, english, `${key} not translated to ${language}`);
        assert.deepEqual(commandLinks(translated), commandLinks(english), `${key} (${language}) buttons`);
        // A button is a line holding only a link; the line breaks must survive translation.
        assert.equal(translated.split('\n').length, english.split('\n').length, `${key} (${language}) lines`);
      }
    }
  });
});
