import { strict as assert } from 'node:assert';
import { parsePromptFile, promptNameFromFileName, scaffoldPromptFile, type ParsedPrompt, type PromptFile } from '../../../src/chat/promptFile';

const promptOf = (parsed: ParsedPrompt): PromptFile => ('prompt' in parsed ? parsed.prompt : assert.fail(`unexpected problem: ${JSON.stringify(parsed.problem)}`));
const problemOf = (parsed: ParsedPrompt): { line: number; message: string } => ('problem' in parsed ? parsed.problem : assert.fail(`parsed: ${JSON.stringify(parsed.prompt)}`));

// The examples of VS Code's documentation on prompt files (docs/copilot/customization/prompt-files.md).
const REACT_FORM = `---
mode: 'agent'
model: GPT-4o
tools: ['githubRepo', 'codebase']
description: 'Generate a new React form component'
---
Your goal is to generate a new React form component based on the templates in #githubRepo contoso/react-templates.

Ask for the form name and fields if not provided.

Requirements for the form:
* Use form design system components: [design-system/Form.md](../docs/design-system/Form.md)
* Use \`react-hook-form\` for form state management:
`;

const SECURITY_REVIEW = `---
agent: 'ask'
model: Claude Sonnet 4
description: 'Perform a REST API security review'
argument-hint: 'the API to review'
---
Perform a REST API security review and provide a TODO list of security issues to address.

* Ensure all endpoints are protected by authentication and authorization
`;

describe('prompt files', () => {
  it('reads the documented React form example: description, model, mode, tools and the body', () => {
    const prompt = promptOf(parsePromptFile('.github/prompts/create-react-form.prompt.md', REACT_FORM));
    assert.equal(prompt.name, 'create-react-form');
    assert.equal(prompt.description, 'Generate a new React form component');
    assert.equal(prompt.model, 'GPT-4o');
    assert.equal(prompt.mode, 'agent');
    assert.deepEqual(prompt.tools, ['githubRepo', 'codebase']);
    assert.equal(prompt.output, 'chat');
    assert.ok(prompt.body.startsWith('Your goal is to generate'), prompt.body);
    assert.ok(prompt.body.endsWith('form state management:\n'), prompt.body);
  });

  it('reads the newer `agent` key and ignores keys it does not know (argument-hint)', () => {
    const prompt = promptOf(parsePromptFile('security-review.prompt.md', SECURITY_REVIEW));
    assert.equal(prompt.mode, 'ask');
    assert.equal(prompt.model, 'Claude Sonnet 4');
    assert.equal(prompt.description, 'Perform a REST API security review');
    assert.equal(prompt.tools, undefined);
  });

  it('takes a file without front matter as all body, and CRLF and a BOM as plain text', () => {
    assert.deepEqual(promptOf(parsePromptFile('plain.prompt.md', 'Explain ${selection}\n')), { name: 'plain', description: '', output: 'chat', body: 'Explain ${selection}\n' });
    const prompt = promptOf(parsePromptFile('crlf.prompt.md', '\uFEFF---\r\ndescription: Windows\r\noutput: insert\r\n---\r\nBody\r\n'));
    assert.equal(prompt.description, 'Windows');
    assert.equal(prompt.output, 'insert');
    assert.equal(prompt.body, 'Body\n');
  });

  it('reads output, and an empty front matter', () => {
    for (const output of ['chat', 'replace-selection', 'insert', 'new-document'] as const) {
      assert.equal(promptOf(parsePromptFile('x.prompt.md', `---\noutput: ${output}\n---\nx`)).output, output);
    }
    assert.equal(promptOf(parsePromptFile('x.prompt.md', '---\n---\nbody')).body, 'body');
  });

  it('names the line of broken YAML', () => {
    const problem = problemOf(parsePromptFile('bad.prompt.md', "---\ndescription: 'fine'\ntools: ['a', 'b'\nmodel: x\n---\nbody"));
    assert.ok(problem.line >= 3 && problem.line <= 5, JSON.stringify(problem));
    assert.ok(problem.message.length > 0);
    const tab = problemOf(parsePromptFile('bad.prompt.md', '---\ndescription: ok\n  : : nonsense: [\n---\n'));
    assert.equal(tab.line, 3, JSON.stringify(tab));
  });

  it('reports an unclosed front matter at line 1 and a list instead of keys at line 2', () => {
    assert.deepEqual(problemOf(parsePromptFile('x.prompt.md', '---\ndescription: never closed\nbody')), {
      line: 1,
      message: 'the front matter starting here is not closed by a "---" line',
    });
    assert.equal(problemOf(parsePromptFile('x.prompt.md', '---\n- a\n- b\n---\nbody')).line, 2);
  });

  it('names the line of a known key with a value of the wrong kind or an unknown output', () => {
    assert.deepEqual(problemOf(parsePromptFile('x.prompt.md', '---\ndescription: ok\ntools: codebase\n---\n')), {
      line: 3,
      message: '"tools" must be a list of tool names',
    });
    assert.equal(problemOf(parsePromptFile('x.prompt.md', '---\ndescription:\n  nested: map\n---\n')).line, 2);
    const output = problemOf(parsePromptFile('x.prompt.md', '---\ndescription: ok\nmodel: m\noutput: clipboard\n---\n'));
    assert.equal(output.line, 4);
    assert.match(output.message, /"output" must be one of chat, replace-selection, insert, new-document/);
  });

  it('does not turn YAML dates or tags into objects', () => {
    const prompt = promptOf(parsePromptFile('x.prompt.md', '---\ndescription: 2024-01-01\n---\n'));
    assert.equal(prompt.description, '2024-01-01');
    assert.ok('problem' in parsePromptFile('x.prompt.md', '---\ndescription: !!js/function "function () {}"\n---\n'));
  });

  it('derives the name from the file name and lets `name:` override it', () => {
    assert.equal(promptNameFromFileName('/a/b/Review Code.prompt.md'), 'Review Code');
    assert.equal(promptNameFromFileName('C:\\x\\notes.md'), 'notes');
    assert.equal(promptOf(parsePromptFile('x.prompt.md', '---\nname: nicer\n---\n')).name, 'nicer');
  });

  it('scaffolds a file that reads back to the same description, output and body', () => {
    const text = scaffoldPromptFile('Say "hi": twice', 'Hello ${selection}', 'insert');
    const prompt = promptOf(parsePromptFile('hi.prompt.md', text));
    assert.equal(prompt.description, 'Say "hi": twice');
    assert.equal(prompt.output, 'insert');
    assert.equal(prompt.body, 'Hello ${selection}\n');
  });
});
