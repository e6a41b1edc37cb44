// Keys must never reach logs, error messages or exported requests; this is the one place that masks them.

/** `sk-…abcd`: enough to tell keys apart, too little to use. Short keys reveal nothing. */
export function redactKey(key: string): string {
  if (key.length < 8) {
    return '…';
  }
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** Replaces every occurrence of `key` in `text` (gateways sometimes echo the key they rejected). */
export function redactSecret(text: string, key: string | undefined): string {
  if (!key || !text.includes(key)) {
    return text;
  }
  return text.split(key).join(redactKey(key));
}
