// vscode-free: the JSON shape "Suggest Tests for Selection" asks for (response_format json_schema).
import type { ResponseFormat } from '../api/types';

export const TEST_PLAN_SCHEMA = {
  type: 'object',
  properties: {
    framework: { type: 'string', description: 'The test framework to use, e.g. mocha, jest, pytest.' },
    tests: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          kind: { type: 'string', enum: ['unit', 'edge', 'error', 'property'] },
          given: { type: 'string', description: 'Input or setup.' },
          expect: { type: 'string', description: 'The expected result.' },
        },
        required: ['name', 'kind', 'given', 'expect'],
        additionalProperties: false,
      },
    },
  },
  required: ['framework', 'tests'],
  additionalProperties: false,
} as const satisfies Record<string, unknown>;

export const TEST_PLAN_FORMAT: ResponseFormat = {
  type: 'json_schema',
  // strict: every property required and no others, as OpenAI's structured outputs demand.
  json_schema: { name: 'test_plan', strict: true, schema: TEST_PLAN_SCHEMA },
};
