import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The panel's CSS takes every colour from the theme (--vscode-* variables, color-mix of them), so
// dark, light and both high-contrast themes apply. A colour literal would look right in one theme only.

const media = join(__dirname, '..', '..', '..', 'media');

/** CSS named colours, except the keywords that are not a colour of their own (transparent, currentColor). */
const NAMED_COLOURS = new Set(
  (
    'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood cadetblue ' +
    'chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey ' +
    'darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray ' +
    'darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen ' +
    'fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki ' +
    'lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen ' +
    'lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime ' +
    'limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue ' +
    'mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive ' +
    'olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum ' +
    'powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver ' +
    'skyblue slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white ' +
    'whitesmoke yellow yellowgreen canvas canvastext linktext visitedtext activetext buttonface buttontext field fieldtext ' +
    'highlight highlighttext graytext mark marktext'
  ).split(' '),
);

const COLOUR_FUNCTION = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/i;
const HEX_COLOUR = /#[0-9a-f]{3,8}\b/i;

/** Each declaration's value with comments, strings and custom-property names taken out. */
function declarations(css: string): { line: number; property: string; value: string }[] {
  const found: { line: number; property: string; value: string }[] = [];
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const pattern = /([\w-]+)\s*:\s*([^;{}]+);/g;
  for (let match = pattern.exec(withoutComments); match !== null; match = pattern.exec(withoutComments)) {
    const [, property = '', rawValue = ''] = match;
    const value = rawValue.replace(/(['"]).*?\1/g, '""').replace(/--[\w-]+/g, '');
    found.push({ line: withoutComments.slice(0, match.index).split('\n').length, property, value });
  }
  return found;
}

function colourLiterals(css: string): string[] {
  return declarations(css)
    .filter(({ value }) => HEX_COLOUR.test(value) || COLOUR_FUNCTION.test(value) || value.split(/[^\w-]+/).some((word) => NAMED_COLOURS.has(word.toLowerCase())))
    .map(({ line, property, value }) => `line ${line}: ${property}: ${value.trim()}`);
}

describe('theme fidelity of media/*.css', () => {
  const files = readdirSync(media).filter((name) => name.endsWith('.css'));

  it('finds the stylesheets', () => {
    assert.ok(files.includes('chat.css') && files.includes('markdown.css'), files.join(', '));
  });

  for (const file of files) {
    it(`${file} has no colour literal: only --vscode-* variables, color-mix(), currentColor and transparent`, () => {
      assert.deepEqual(colourLiterals(readFileSync(join(media, file), 'utf8')), []);
    });
  }

  it('the scan catches hex, functional and named colours (and not white-space or var names)', () => {
    const sample = [
      'a { color: #fff; }',
      'b { background: rgba(0, 0, 0, 0.5); }',
      'c { border: 1px solid red; }',
      'd { white-space: nowrap; color: var(--vscode-editor-foreground, transparent); }',
      'e { color: color-mix(in srgb, var(--vscode-foreground) 10%, transparent); }',
      'f { outline: 1px solid currentColor; }',
      "g { content: 'black'; }",
    ].join('\n');
    assert.deepEqual(colourLiterals(sample), ['line 1: color: #fff', 'line 2: background: rgba(0, 0, 0, 0.5)', 'line 3: border: 1px solid red']);
  });
});
