/** An OpenAPI call without a usable credential: the tool error says what to set, by variable or claim. */
import { describe, expect, it } from 'vitest';
import type { OpenApiSourceIR } from '../../runtime/kinds/openapi/ir.js';
import { credentialsFor } from '../../runtime/kinds/openapi/auth.js';
import { TokenCache } from '../../runtime/kinds/openapi/tokens.js';

const source: OpenApiSourceIR = {
  kind: 'openapi',
  baseUrl: 'http://127.0.0.1:9',
  timeoutMs: 1000,
  maxResponseBytes: 1000,
  schemes: {
    key: { type: 'apiKey', in: 'header', name: 'x-key' },
    bearer: { type: 'http', scheme: 'bearer' },
    oauth: { type: 'oauth2' },
    basic: { type: 'http', scheme: 'basic' }
  },
  auth: {
    key: '${PETS_API_KEY}',
    bearer: 'Token ${auth.claims.upstream_token}',
    oauth: { clientId: '${PETS_CLIENT_ID}', clientSecret: '${PETS_CLIENT_SECRET:-x}', scopes: [] }
  }
};

describe('missing OpenAPI credentials', () => {
  const given: [string, string[][], string][] = [
    ['an unset variable', [['key']], 'key: set the environment variable PETS_API_KEY'],
    ['a claim the caller lacks', [['bearer']], "bearer: the caller's credentials carry no claims.upstream_token"],
    ['client credentials with an unset id', [['oauth']], 'oauth: set the environment variable PETS_CLIENT_ID'],
    ['a scheme with no auth: entry', [['basic']], 'basic: add it under auth: of source "pets"'],
    [
      'alternatives, each named',
      [['key'], ['basic']],
      'key: set the environment variable PETS_API_KEY; or basic: add it under auth: of source "pets"'
    ]
  ];
  it.each(given)('%s', async (_label, security, want) => {
    const got = await credentialsFor(source, security, {}, new TokenCache(), new AbortController().signal, undefined, 'pets');
    expect(got).toEqual({ missing: security.flat(), remedy: want });
  });
});
