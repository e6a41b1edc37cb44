// The per-chunk fast path of the stream: almost every chunk of a long answer is the same shape, a
// few characters of `delta.content` inside ~250 bytes of ids and nulls. JSON.parse builds four
// objects and a dozen strings for it, which was three quarters of the client's time (bench/stream.ts);
// one anchored pattern checks the whole chunk and hands out only the content.

const STRING = String.raw`"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"`;
const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
/** A plain key that is none of those the decoder reads at the top level (no escapes, so no disguise). */
const OTHER_KEY = String.raw`"(?!(?:choices|error|usage)")[A-Za-z_][A-Za-z0-9_]*"`;
/** A top-level member the decoder ignores: a scalar under another key, or `"usage":null`. */
const IGNORED_MEMBER = `(?:"usage":null|${OTHER_KEY}:(?:${STRING}|${NUMBER}|null|true|false))`;

/**
 * Exactly one choice with index 0 whose delta holds `content` (optionally after `"role":"assistant"`
 * and before `"refusal":null`), no finish reason, and only ignored members around `choices`. No
 * whitespace: anything else, including valid JSON of another shape, is left to JSON.parse.
 */
const PLAIN_TEXT_CHUNK = new RegExp(
  String.raw`^\{(?:${IGNORED_MEMBER},)*"choices":\[\{(?:"index":0,)?"delta":\{(?:"role":"assistant",)?"content":(${STRING})(?:,"refusal":null)?\}` +
    String.raw`(?:,"logprobs":null)?,"finish_reason":null\}\](?:,${IGNORED_MEMBER})*\}$`,
);

/**
 * The `delta.content` of a chunk that carries nothing else the decoder reads (no reasoning, tool
 * calls, finish reason, usage or error), or `undefined` when the chunk needs the full decoder. When
 * it returns a string, JSON.parse of `data` would have given the same content and nothing more.
 */
export function plainTextChunk(data: string): string | undefined {
  const match = PLAIN_TEXT_CHUNK.exec(data);
  const quoted = match?.[1];
  if (quoted === undefined) return undefined;
  // Without a backslash the JSON string is its own content; with one, JSON.parse unescapes it.
  return quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
}
