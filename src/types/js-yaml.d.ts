// The part of js-yaml 4 that Fox Chat uses. js-yaml ships no types; this stands in for @types/js-yaml.
declare module 'js-yaml' {
  export interface Mark {
    /** 0-based line of the problem in the parsed text. */
    line: number;
    column: number;
  }
  export class YAMLException extends Error {
    reason: string;
    mark: Mark | undefined;
  }
  export interface LoadOptions {
    filename?: string;
    /** The schema: JSON_SCHEMA keeps values to what JSON has (no dates, no custom tags). */
    schema?: unknown;
    json?: boolean;
  }
  export const JSON_SCHEMA: unknown;
  export function load(text: string, options?: LoadOptions): unknown;
}
