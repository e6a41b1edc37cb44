// Markdown that exercises every way a stream can be cut: tables, nested and loose lists, fences
// whose bodies contain fence-like lines of other lengths, setext headings, lazy lines, HTML-looking
// text, CRLF endings, and a fence left open at the end.

const sections: readonly string[] = [
  '# Streaming answer\n\nSome *prose* with `inline code`, **bold**, ~~struck~~ and a link to https://example.com/docs?x=1&y=2.\nA second line of the same paragraph ends with two spaces  \nso this is after a hard break.\n',
  'Setext heading\n==============\n\nAnother one\n---\n\nFoo\nbar|baz\n\n- - -\n',
  '1. first\n2. second\n   - nested *a*\n   - nested b\n\n     continued paragraph in b\n3. third\nlazy continuation line\n\n7) seven\n8) eight\n',
  '- tight\n- list\n+ new list because the marker changed\n\n* loose\n\n* list\n',
  '| Left | Center | Right |\n|:-----|:------:|------:|\n| a    | `b|c`  | 3     |\n| **d** | e | [f](https://f.example) |\n\nAfter the table.\n',
  'Paragraph before a table that interrupts it\n| h1 | h2 |\n| -- | -- |\n| x | y |\n',
  '```ts\nconst fence = "```";\nfunction f(a: number): number {\n  return a < 2 ? a : f(a - 1) + f(a - 2);\n}\n``\n````\n',
  '````markdown\nOuter fence of four holds a fence of three:\n```js\nconsole.log(1);\n```\n`````\nstill inside? no: five backticks close a four-backtick fence\n',
  '~~~python\ndef f():\n    return "~~~"  # a tilde line inside needs to start the line to close\n```\nnot closing, wrong marker\n~~~\n',
  '> A quote with a list:\n> - one\n> - two\n>\n> ```sh\n> echo "in quote"\n> ```\nlazy quote line\n\n>> nested quote\n',
  'HTML-looking text is text: <div onclick="alert(1)">x</div> <script>alert(1)</script>\n<img src=x onerror=alert(1)>\n\n<iframe srcdoc="<script>alert(1)</script>"></iframe>\n',
  '    indented code\n    second line\n\n    after a blank line, same block\n\nparagraph\n    lazy, not code\n',
  '[ref]: https://example.com/ref "Reference definitions render as text"\n\nUse [ref] and [text][ref] and ![img](https://example.com/x.png "remote") and ![dot](data:image/png;base64,iVBORw0KGgo=).\n',
  'Entities &amp; &lt;b&gt; &#x27; &copy; and escapes \\*not emphasis\\* \\`not code\\`.\n\n***\n\n#\n\n#not a heading\n\n## Heading with `code` and trailing hashes ##\n',
  'CRLF paragraph line one\r\nline two\r\n\r\n- crlf item\r\n- another\r\n\r\n```json\r\n{"a": [1, 2, 3]}\r\n```\r\n',
  '```unknown-lang\n<b>not bold</b> & stays escaped\n```\n\n```\nno language\n```\n\n```diff\n- old\n+ new\n```\n',
  // Each continuation line starts like a block that would interrupt the paragraph (heading, rule,
  // fence, table) until its next characters arrive: a partial line must not close the paragraph.
  'Line one\n#hashtag is not a heading\n***bold italic*** is not a rule\n```inline``` code is not a fence\n| a | b |\n|-x| not a delimiter row\n',
  'A very long paragraph line that keeps going without a newline to check that partial-line handling holds across many small chunks while nothing else changes at all, and it goes on and on.\n',
  '- item with code:\n\n  ```yaml\n  key: value\n  list:\n    - a\n  ```\n- after\n',
];

/** The corpus, optionally repeated (for growth tests), ending in an unterminated fence. */
export function markdownCorpus(repeat = 1): string {
  let text = '';
  for (let round = 0; round < repeat; round += 1) {
    text += sections.join('\n');
    text += '\n';
  }
  return `${text}Last words before an open fence:\n\n\`\`\`rust\nfn main() {\n    println!("unterminated");\n`;
}

/** Each section on its own, for focused cases. */
export function corpusSections(): readonly string[] {
  return sections;
}
