// Keys must never reach logs, error messages or exported requests; this is the one place that masks them.

/** `sk-…abcd`: enough to tell keys apart, too little to use. Short keys reveal nothing. */
export function redactKey(key: string): string {
  if (key.length < 8) {
    return '…';
  }
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/**
 * Replaces every occurrence of `key` in `text` (gateways sometimes echo the key they rejected).
 * A pasted key with stray spaces or a line break goes over the wire trimmed (fetch trims header
 * values), and that trimmed form is what a gateway echoes, so it is masked too.
 */
export function redactSecret(text: string, key: string | undefined): string {
  if (!key) {
    return text;
  }
  let out = text;
  for (const form of key.trim() === key ? [key] : [key, key.trim()]) {
    if (form !== '' && out.includes(form)) out = out.split(form).join(redactKey(form));
  }
  return out;
}
