/** OpenAPI tool names read like their operations: no hash suffix, unless two names would collide. */
import { describe, expect, it } from 'vitest';
import { toolName, uniqueNames } from '../../generators/kinds/openapi/names.js';

const long = 'enterprise-admin/list-self-hosted-runner-groups-for-enterprise-with-extra-words-at-the-end';

describe('OpenAPI tool names', () => {
  const given: [string, string | undefined, string, string, string][] = [
    ['an operationId as it is', 'listPets', 'get', '/pets', 'listPets'],
    ['slashes and dashes made valid', 'repos/get-content', 'get', '/x', 'repos_get-content'],
    ['no operationId: method and path', undefined, 'get', '/pets/{petId}', 'get__pets_petId'],
    [
      'over 64 characters: cut at a word boundary, no hash',
      long,
      'get',
      '/x',
      'enterprise-admin_list-self-hosted-runner-groups-for-enterprise'
    ],
    ['over 64 characters, no boundary: cut at 64', 'a'.repeat(80), 'get', '/x', 'a'.repeat(64)]
  ];
  it.each(given)('%s', (_label, operationId, method, path, want) => {
    const name = toolName(operationId, method, path);
    expect(name).toBe(want);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('keeps distinct names as they are and suffixes only a collision', () => {
    const names = uniqueNames(['a', 'b', 'a', toolName(`${long}-one`, 'get', '/'), toolName(`${long}-two`, 'get', '/')]);
    expect(names.slice(0, 2)).toEqual(['a', 'b']);
    expect(names[2]).toMatch(/^a_.+$/);
    expect(names[3]).toBe('enterprise-admin_list-self-hosted-runner-groups-for-enterprise');
    expect(names[4]).not.toBe(names[3]);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(64);
  });
});
