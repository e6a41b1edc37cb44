// The panel's strings: the host sends them (already localized) in `init`; until then every template is empty.
import type { WebviewStrings } from '../protocol';

/** The keys of WebviewStrings that hold one template (not a per-action or per-state record). */
export type TemplateKey = { [K in keyof WebviewStrings]: WebviewStrings[K] extends string ? K : never }[keyof WebviewStrings];

export type Translate = (key: TemplateKey, ...args: (string | number)[]) => string;

export interface L10n {
  /** The records (code actions, error actions, tool states); undefined before `init`. */
  readonly strings: WebviewStrings | undefined;
  setStrings(strings: WebviewStrings): void;
  /** The template for `key` with {0}, {1}, ... replaced by `args`. */
  readonly t: Translate;
}

export function createL10n(): L10n {
  let strings: WebviewStrings | undefined;
  return {
    get strings() {
      return strings;
    },
    setStrings(next) {
      strings = next;
    },
    t: (key, ...args) => {
      const template = strings?.[key] ?? '';
      return template.replace(/\{(\d+)\}/g, (match, index: string) => String(args[Number(index)] ?? match));
    },
  };
}
