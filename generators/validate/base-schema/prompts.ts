import type { JsonSchema } from '../../kinds/kind-schema.js';

/** Prompts; a prompt argument's `complete:` comes from the kinds that complete (compose-schema.ts). */
export const promptDefs: Readonly<Record<string, JsonSchema>> = {
  promptArgument: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { $ref: '#/$defs/name' },
      title: { type: 'string' },
      description: { type: 'string' },
      required: { type: 'boolean', default: false },
      enum: {
        type: 'array',
        minItems: 1,
        items: { type: 'string' },
        description: 'Allowed values; also offered as completions.'
      }
    }
  },
  promptMessage: {
    type: 'object',
    additionalProperties: false,
    required: ['role'],
    properties: {
      role: { enum: ['user', 'assistant'] },
      text: { type: 'string', description: "A Handlebars template rendered with the prompt's arguments." },
      content: { $ref: '#/$defs/contentItem', description: 'A fixed content block (image, audio, embedded resource).' }
    },
    oneOf: [{ required: ['text'] }, { required: ['content'] }]
  },
  prompt: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description', 'messages'],
    properties: {
      name: { $ref: '#/$defs/name' },
      title: { type: 'string' },
      description: { type: 'string', minLength: 1 },
      icons: { type: 'array', items: { $ref: '#/$defs/icon' } },
      arguments: { type: 'array', items: { $ref: '#/$defs/promptArgument' } },
      elicit: {
        type: 'array',
        minItems: 1,
        items: { $ref: '#/$defs/elicitation' },
        description: 'Questions asked through the client before the prompt is rendered.'
      },
      messages: { type: 'array', minItems: 1, items: { $ref: '#/$defs/promptMessage' } },
      scopes: { $ref: '#/$defs/scopes', description: 'Scopes a caller needs (every one) to see and get this prompt.' }
    }
  },
  elicitation: {
    type: 'object',
    additionalProperties: false,
    required: ['key', 'message'],
    description:
      'Ask the user for input (elicitation) before rendering: 2025 clients get an elicitation/create request, ' +
      '2026-07-28 clients an input_required result.',
    properties: {
      key: { $ref: '#/$defs/name', description: 'Names the answer: templates read it as {{key.field}}.' },
      message: { type: 'string', minLength: 1, description: 'What the user is asked.' },
      properties: {
        type: 'object',
        description: 'Flat JSON Schema properties of the form (string, number, integer, boolean, enum).',
        additionalProperties: { type: 'object' }
      },
      required: { type: 'array', items: { type: 'string' } }
    }
  }
};
