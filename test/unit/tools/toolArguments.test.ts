import { strict as assert } from 'node:assert';
import { parseToolCall, summarizeCall } from '../../../src/tools/toolArguments';
import { capResult, toolDefinitions, TOOL_NAMES, TOOL_SCHEMAS } from '../../../src/tools/toolDefinitions';

const all = TOOL_NAMES;

describe('tool arguments', () => {
  it('accepts well-formed calls of every tool', () => {
    const good: Record<string, string> = {
      read_file: '{"path":"src/a.ts","start_line":1,"end_line":20}',
      list_files: '{"glob":"**/*.ts"}',
      search_text: '{"query":"TODO","is_regex":false,"glob":"src/**"}',
      get_diagnostics: '{}',
      get_selection: '',
      propose_edit: '{"path":"a.ts","start_line":2,"end_line":3,"new_text":"x"}',
    };
    for (const [name, args] of Object.entries(good)) {
      const parsed = parseToolCall(name, args, all);
      assert.ok(parsed.ok, `${name}: ${JSON.stringify(parsed)}`);
      assert.equal(parsed.call.name, name);
    }
  });

  const bad: Array<[string, string, RegExp]> = [
    ['read_file', '{"path": "a.ts"', /not valid JSON/],
    ['read_file', '[1,2]', /must be a JSON object/],
    ['read_file', '"a.ts"', /must be a JSON object/],
    ['read_file', '{}', /Invalid arguments for read_file.*path/],
    ['read_file', '{"path":""}', /Invalid arguments/],
    ['read_file', '{"path":"a.ts","start_line":0}', /start_line/],
    ['read_file', '{"path":"a.ts","start_line":1.5}', /start_line/],
    ['read_file', '{"path":"a.ts","start_line":9,"end_line":2}', /end_line must not be before start_line/],
    ['read_file', '{"path":"a.ts","lines":[1,20]}', /lines/],
    ['list_files', '{"glob":"*","max_results":100000}', /max_results/],
    ['search_text', '{"query":42}', /query/],
    ['propose_edit', '{"path":"a.ts","start_line":1,"end_line":1}', /new_text/],
    ['get_weather', '{"city":"Paris"}', /Unknown tool "get_weather"\. The tools you can call are: read_file, /],
    ['', '{}', /Unknown tool ""/],
  ];
  for (const [name, args, expected] of bad) {
    it(`turns ${name || '(no name)'}(${args}) into an error text for the model`, () => {
      const parsed = parseToolCall(name, args, all);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, expected);
    });
  }

  it('treats a tool the settings turned off as unknown', () => {
    const parsed = parseToolCall('propose_edit', '{"path":"a.ts","start_line":1,"end_line":1,"new_text":"x"}', ['read_file']);
    assert.deepEqual(parsed, { ok: false, error: 'Unknown tool "propose_edit". The tools you can call are: read_file.' });
  });

  it('offers exactly the enabled tools, each with a JSON schema of type object', () => {
    const tools = toolDefinitions(['search_text', 'read_file']);
    assert.deepEqual(tools.map((tool) => tool.function.name), ['read_file', 'search_text']);
    for (const name of TOOL_NAMES) assert.equal(TOOL_SCHEMAS[name].parameters.type, 'object');
  });

  it('caps long results with a note saying how much was left out', () => {
    assert.equal(capResult('short', 10), 'short');
    assert.equal(capResult('x'.repeat(15), 10), `${'x'.repeat(10)}\n[truncated: 5 more characters not shown]`);
  });

  it('summarises calls for the panel, and survives arguments that are not JSON', () => {
    assert.equal(summarizeCall('read_file', '{"path":"a.ts","start_line":3,"end_line":9}'), 'a.ts:3-9');
    assert.equal(summarizeCall('search_text', '{"query":"foo","glob":"*.ts"}'), '"foo" in *.ts');
    assert.equal(summarizeCall('read_file', '{"path":'), '');
  });
});
