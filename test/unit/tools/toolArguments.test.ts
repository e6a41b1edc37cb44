import { strict as assert } from 'node:assert';
import { parseToolCall, summarizeCall } from '../../../src/tools/toolArguments';
import { ARGUMENT_LIMITS, capError, capResult, MAX_ERROR_CHARS, toolDefinitions, TOOL_NAMES, TOOL_SCHEMAS } from '../../../src/tools/toolDefinitions';

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
      assert.match(parsed.error, expected);
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

  describe('argument length limits', () => {
    const cases: Array<[string, (value: string) => Record<string, unknown>, number]> = [
      ['read_file', (value) => ({ path: value }), ARGUMENT_LIMITS.path],
      ['get_diagnostics', (value) => ({ path: value }), ARGUMENT_LIMITS.path],
      ['list_files', (value) => ({ glob: value }), ARGUMENT_LIMITS.glob],
      ['search_text', (value) => ({ query: value }), ARGUMENT_LIMITS.query],
      ['search_text', (value) => ({ query: 'x', glob: value }), ARGUMENT_LIMITS.glob],
      ['propose_edit', (value) => ({ path: 'a.ts', start_line: 1, end_line: 1, new_text: value }), ARGUMENT_LIMITS.new_text],
      ['propose_edit', (value) => ({ path: 'a.ts', start_line: 1, end_line: 1, new_text: 'x', explanation: value }), ARGUMENT_LIMITS.explanation],
      ['propose_edit', (value) => ({ path: value, start_line: 1, end_line: 1, new_text: 'x' }), ARGUMENT_LIMITS.path],
    ];
    for (const [name, build, limit] of cases) {
      const field = Object.keys(build('x')).find((key) => build('x')[key] === 'x' && build('y')[key] === 'y') ?? '?';
      it(`${name}.${field}: accepts ${limit} characters, refuses ${limit + 1} without echoing the value`, () => {
        assert.ok(parseToolCall(name, JSON.stringify(build('a'.repeat(limit))), all).ok);
        const refused = parseToolCall(name, JSON.stringify(build('ä'.repeat(limit + 1))), all);
        assert.equal(refused.ok, false);
        assert.match(refused.error, new RegExp(`Invalid arguments for ${name}: ${field}`));
        assert.ok(!refused.error.includes('ä'.repeat(50)), 'the value is not echoed');
        assert.ok(refused.error.length <= MAX_ERROR_CHARS + 30);
      });
    }
    it('the limits are in the schemas the model is sent', () => {
      const schema = TOOL_SCHEMAS.search_text.parameters as { properties: Record<string, { maxLength?: number }> };
      assert.equal(schema.properties.query?.maxLength, 1_000);
      assert.equal(schema.properties.glob?.maxLength, 512);
    });
  });

  describe('capped errors', () => {
    it('cuts an error text to MAX_ERROR_CHARS', () => {
      assert.equal(capError('short'), 'short');
      const capped = capError('x'.repeat(10_000));
      assert.ok(capped.length <= MAX_ERROR_CHARS + 30 && capped.endsWith('[error cut short]'), capped.slice(-40));
    });

    it('cuts a huge unknown tool name and huge broken JSON before echoing them', () => {
      const name = parseToolCall('n'.repeat(100_000), '{}', all);
      assert.equal(name.ok, false);
      assert.ok(name.error.length < 500, `${name.error.length}`);
      const json = parseToolCall('read_file', `{"path": "${'p'.repeat(100_000)}`, all);
      assert.equal(json.ok, false);
      assert.ok(json.error.length <= MAX_ERROR_CHARS + 30, `${json.error.length}`);
      const extra = parseToolCall('read_file', JSON.stringify({ path: 'a.ts', ['k'.repeat(50_000)]: 1 }), all);
      assert.equal(extra.ok, false);
      assert.ok(extra.error.length <= MAX_ERROR_CHARS + 30, `${extra.error.length}`);
    });
  });
});
