// vscode-free: whether a link's visible text names a different host than the link opens, so the
// host can say so before opening it (model output can write `[github.com](https://evil.example)`).

export interface HostMismatch {
  /** The host the text shows, normalised (punycode for non-ASCII names, so look-alikes stand out). */
  shown: string;
  /** The host the link really opens, normalised the same way. */
  actual: string;
}

/**
 * File extensions that are also top-level domains or look like one: `[main.ts](…/main.ts)` names a
 * file, not the Tuvalu domain. A bare name with one of these endings is not taken for a host
 * (written with a scheme or `www.` it still is).
 */
const FILE_EXTENSIONS = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs json jsonc md mdx txt py pyi rs go java kt kts rb sh bash zsh ps1 bat cmd c h cc cpp cxx hpp hh cs fs vb php pl pm ' +
    'lua r dart scala swift m mm ex exs erl hs ml sql csv tsv yml yaml toml xml html htm css scss sass less vue svelte ini cfg conf env lock log ' +
    'png jpg jpeg gif svg webp ico pdf zip gz tgz tar bz2 xz exe dll so dylib wasm bin map sum mod gradle properties ipynb diff patch'
  ).split(' '),
);

/** A bare host name: labels of letters (any script), digits and hyphens, a dot, then a top-level label. */
const BARE_HOST = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(\p{L}{2,63}|xn--[a-z0-9-]{1,59})\.?(?::\d{1,5})?$/iu;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function normalisedHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
}

/** The host a link text shows, or undefined when the text is not a URL or host name at all. */
function shownHost(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /\s/.test(trimmed)) {
    return undefined;
  }
  if (SCHEME.test(trimmed)) {
    try {
      const host = normalisedHost(new URL(trimmed));
      return host === '' ? undefined : host;
    } catch {
      return undefined;
    }
  }
  const authority = trimmed.split(/[/?#]/, 1)[0] ?? '';
  if (authority.length > 260) {
    return undefined; // longer than any host name can be
  }
  const bare = BARE_HOST.exec(authority);
  const isHost = IPV4.test(authority) || (bare !== null && (/^www\./i.test(authority) || !FILE_EXTENSIONS.has((bare[1] ?? '').toLowerCase())));
  if (!isHost) {
    return undefined;
  }
  try {
    return normalisedHost(new URL(`http://${trimmed}`));
  } catch {
    return undefined;
  }
}

/**
 * The two hosts when `text` looks like a URL or host name and names another host than `href`
 * opens; undefined when they match (`www.` aside) or the text is not an address (e.g. "docs").
 * A different subdomain counts as a different host: `gist.github.com` is not `github.com`.
 */
export function linkHostMismatch(text: string, href: string): HostMismatch | undefined {
  let target: URL;
  try {
    target = new URL(href);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return undefined;
  }
  const shown = shownHost(text);
  const actual = normalisedHost(target);
  return shown === undefined || shown === actual ? undefined : { shown, actual };
}
