// Secrets must never reach logs, error messages or exported requests; this is the one place that masks them.

/** Shorter secrets (Ollama's `ollama`) are too likely to be ordinary words to be masked inside other text. */
const MIN_LONG_SECRET = 8;
/** "sk-abc***wxyz": gateways echo a rejected key as its first few and last four characters. */
const ECHO_PREFIX = 6;
const ECHO_SUFFIX = 4;
/** What gateways put between the shown ends of an echoed key. */
const ECHO_MASK = String.raw`(?:[*•●·…#]|\.{2,}|[xX]{3,}|-{3,}|_{3,})`;
/** A short secret inside these (a word, identifier, path or host) is not the secret. */
const TOKEN_CHAR = String.raw`[\p{L}\p{N}_\-/\\@]`;

/** Masks every known form of a fixed set of secrets. */
export type Masker = (text: string) => string;

/** `sk-…abcd`: enough to tell keys apart, too little to use. Short keys reveal nothing. */
export function redactKey(key: string): string {
  if (key.length < MIN_LONG_SECRET) {
    return '…';
  }
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** redactSecrets for one secret (usually the API key). */
export function redactSecret(text: string, key: string | undefined): string {
  return redactSecrets(text, [key]);
}

/**
 * Replaces every appearance of each secret in `text`: as is, trimmed (fetch trims header values, so
 * that is the form a gateway echoes), JSON- or HTML-escaped, URL-encoded, base64-encoded (also
 * inside a longer base64 string such as `Basic base64(user:secret)`, at any byte alignment), and
 * echoed as its first characters and last four with a mask in between. A secret shorter than 8
 * characters is masked only where it stands as a whole token, so it cannot mangle other text.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return secretMasker(secrets)(text);
}

/**
 * redactSecrets with the secrets fixed, for callers that may mask many texts. The patterns are
 * compiled on the first text that needs them, so a stream that never fails never pays for them.
 */
export function secretMasker(secrets: readonly (string | undefined)[]): Masker {
  const present = secrets.filter((secret): secret is string => secret !== undefined && secret.trim() !== '');
  if (present.length === 0) return (text) => text;
  let rules: Array<(text: string) => string> | undefined;
  return (text) => {
    if (text === '') return text;
    rules ??= compileRules(present);
    let out = text;
    for (const rule of rules) out = rule(out);
    return out;
  };
}

function compileRules(secrets: readonly string[]): Array<(text: string) => string> {
  const literals = new Map<string, string>();
  const rules: Array<(text: string) => string> = [];
  const tokenForms = new Set<string>();
  // Longest first, so a form shared by two secrets is masked as the longer one's.
  for (const secret of [...secrets].sort((a, b) => b.trim().length - a.trim().length)) {
    const trimmed = secret.trim();
    if (trimmed.length >= MIN_LONG_SECRET) {
      const mask = redactKey(trimmed);
      for (const form of longForms(secret, trimmed)) {
        if (!literals.has(form)) literals.set(form, mask);
      }
    } else {
      for (const form of shortForms(trimmed)) tokenForms.add(form);
    }
  }
  if (literals.size > 0) {
    // Longest alternative first, so a secret that contains another one is masked whole.
    const alternatives = [...literals.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const pattern = new RegExp(alternatives.join('|'), 'g');
    rules.push((text) => text.replace(pattern, (found) => literals.get(found) ?? '…'));
  }
  for (const secret of secrets) {
    const trimmed = secret.trim();
    if (trimmed.length < MIN_LONG_SECRET) continue;
    const middle = `[^\\s]{0,${2 * trimmed.length + 64}}?`;
    const echo = new RegExp(
      `${escapeRegExp(trimmed.slice(0, ECHO_PREFIX))}${middle}${ECHO_MASK}${middle}${escapeRegExp(trimmed.slice(-ECHO_SUFFIX))}`,
      'g',
    );
    const mask = redactKey(trimmed);
    // A function, so a `$` in the mask is not read as a replacement pattern.
    rules.push((text) => text.replace(echo, () => mask));
  }
  if (tokenForms.size > 0) {
    const alternatives = [...tokenForms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    // Not inside a word, path or host: "ollama/llama3", "ollamas", "ollama.com" and "ollama:latest" stay.
    const pattern = new RegExp(`(?<!${TOKEN_CHAR}|\\.)(?:${alternatives.join('|')})(?!${TOKEN_CHAR}|[.:][\\p{L}\\p{N}_])`, 'gu');
    rules.push((text) => text.replace(pattern, '…'));
  }
  return rules;
}

/** Every literal form a long secret may take on the wire or in a gateway's echo. */
function longForms(raw: string, trimmed: string): Set<string> {
  const forms = new Set<string>([raw, trimmed]);
  forms.add(JSON.stringify(trimmed).slice(1, -1));
  forms.add(escapeHtml(trimmed));
  const component = encodeURIComponent(trimmed);
  forms.add(component);
  forms.add(component.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  forms.add(component.replace(/%20/g, '+'));
  forms.add(new URLSearchParams({ k: trimmed }).toString().slice(2));
  forms.add(encodeURI(trimmed));
  const bytes = Buffer.from(trimmed, 'utf8');
  addBase64(forms, bytes.toString('base64'));
  // Inside a longer base64 string the secret starts at one of three byte alignments; the
  // characters that encode only its own bytes (the aligned core) are the same at each.
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole > 0) addBase64(forms, bytes.subarray(skip, skip + whole).toString('base64'));
  }
  forms.delete('');
  return forms;
}

/** A short secret's forms, each matched only as a whole token. */
function shortForms(trimmed: string): Set<string> {
  const forms = new Set<string>([trimmed, encodeURIComponent(trimmed)]);
  for (const plain of [trimmed, `:${trimmed}`]) addBase64(forms, Buffer.from(plain, 'utf8').toString('base64'));
  return forms;
}

/** Standard and URL-safe base64, each with and without padding. */
function addBase64(forms: Set<string>, base64: string): void {
  const unpadded = base64.replace(/=+$/, '');
  const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
  forms.add(base64);
  forms.add(unpadded);
  forms.add(urlSafe);
  forms.add(urlSafe + base64.slice(unpadded.length));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes only syntax characters, which is valid with and without the `u` flag. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
