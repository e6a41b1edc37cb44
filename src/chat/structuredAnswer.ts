// vscode-free: JSON answers (response_format) and what to do when a gateway rejects an optional
// request feature (response_format, tools): ask again without it instead of failing the question.
import { Validator } from '@cfworker/json-schema';
import { isInvalidToolCall, jsonInstruction, withSystemNote } from '../api/dialects';
import type { ChatRequest, GatewayErrorInfo, ResponseFormat } from '../api/types';
import { jsonAnswerText } from '../jsonAnswer';

export type DroppableFeature = 'response_format' | 'tools';

/** True when the request asks for JSON. */
export function wantsJson(format: ResponseFormat | undefined): format is Exclude<ResponseFormat, { type: 'text' }> {
  return format !== undefined && format.type !== 'text';
}

/**
 * The optional feature a 400/422 before any answer complains about, if the request used it. Gateways
 * word this differently ("response_format is not supported", "json_schema not supported for this
 * model", "does not support tools"), so the field names are what we look for.
 */
export function rejectedFeature(error: GatewayErrorInfo, request: ChatRequest): DroppableFeature | undefined {
  if (error.kind !== 'badRequest') return undefined;
  const message = error.message.toLowerCase();
  if (wantsJson(request.response_format) && /response_format|json_schema|json_object|json mode|structured output/.test(message)) {
    return 'response_format';
  }
  // One malformed call (Groq's `tool_use_failed`) says nothing about the gateway: tools stay on.
  if (request.tools !== undefined && !isInvalidToolCall(error, '') && /\btools?\b|tool_choice|function call/.test(message)) return 'tools';
  return undefined;
}

/** `request` without the rejected feature; without response_format the system prompt asks for JSON instead. */
export function withoutFeature(request: ChatRequest, feature: DroppableFeature): ChatRequest {
  if (feature === 'tools') {
    const { tools: _tools, tool_choice: _choice, ...rest } = request;
    return rest;
  }
  const { response_format: format, ...rest } = request;
  if (!wantsJson(format)) return rest;
  return { ...rest, messages: withSystemNote(rest.messages, jsonInstruction(format)) };
}

export type JsonCheck = { valid: true; value: unknown } | { valid: false; problem: string };

/**
 * Parses a JSON answer (a model asked by prompt may still wrap it in one ``` fence) and, for
 * json_schema, checks it against the schema.
 */
export function checkJsonAnswer(text: string, format: ResponseFormat | undefined): JsonCheck {
  let value: unknown;
  try {
    value = JSON.parse(jsonAnswerText(text));
  } catch (error) {
    return { valid: false, problem: error instanceof Error ? error.message : String(error) };
  }
  if (format?.type === 'json_schema' && format.json_schema.schema) {
    const result = new Validator(format.json_schema.schema, '2020-12', false).validate(value);
    if (!result.valid) {
      const problems = result.errors
        .filter((problem) => problem.keyword !== 'properties' && problem.keyword !== 'items' && problem.keyword !== 'allOf')
        .map((problem) => `${problem.instanceLocation.replace(/^#\/?/, '/') || '/'}: ${problem.error}`);
      return { valid: false, problem: [...new Set(problems)].slice(0, 3).join('; ') };
    }
  }
  return { valid: true, value };
}
