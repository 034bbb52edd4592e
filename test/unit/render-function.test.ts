import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { describe, expect, it } from 'vitest';
import { hasReusableSetup, renderFunction, reuseSetup, type RuntimeTemplate } from '../../runtime/artifact/templates.js';

const root = join(import.meta.dirname, '..', '..');

// Compiled as `mcp-gen build` compiles them (generators/lower/templates.ts).
const spec = (source: string): unknown =>
  new Function(`return ${Handlebars.precompile(source, { noEscape: true, knownHelpersOnly: true, strict: false })}`)();

const cases: { template: string; data: Record<string, unknown>[] }[] = [
  { template: '{{text}}', data: [{ text: 'hi' }, { text: '<b>&' }, {}, { text: 0 }, { text: false }, { text: null }] },
  { template: 'Hello, {{name}}{{#if excited}}!{{else}}.{{/if}}', data: [{ name: 'Ada' }, { name: 'Bob', excited: true }] },
  {
    template: '{{#each items}}{{@index}}:{{this}}{{#if @last}}.{{/if}} {{/each}}',
    data: [{ items: ['a', 'b'] }, { items: [] }, { items: { x: 1, y: 2 } }]
  },
  { template: '{{#with user}}{{name}} {{@root.x}}{{/with}}', data: [{ user: { name: 'u' }, x: 'root' }, { x: 'no user' }] },
  {
    template: '{{lookup map key}}/{{#unless a}}no{{/unless}}',
    data: [
      { map: { k: 'v' }, key: 'k' },
      { map: {}, key: 'constructor', a: 1 }
    ]
  },
  { template: '[{{constructor}}][{{__proto__}}][{{toString}}]', data: [{}, { constructor: 'own' }] }
];

describe('renderFunction', () => {
  it('given any template and data, wants what a fresh Handlebars call renders, call after call', () => {
    const fresh = cases.map((c) => Handlebars.template(spec(c.template) as never));
    const reused = cases.map((c) => renderFunction(spec(c.template)));
    // Interleaved and repeated: the set-up kept from one call must never leak into another template's output.
    for (let round = 0; round < 3; round++) {
      cases.forEach((c, i) => {
        for (const data of c.data) expect([c.template, reused[i]!(data)]).toEqual([c.template, fresh[i]!(data)]);
      });
    }
  });

  it('sets up once, and again only after a call with other options has replaced the set-up', () => {
    const template = Handlebars.template(spec('{{x}}') as never) as unknown as RuntimeTemplate;
    const original = template._setup!;
    let setups = 0;
    template._setup = function (this: unknown, options: object) {
      setups++;
      original.call(this, options);
    };
    const render = reuseSetup(template);
    expect([render({ x: 1 }), render({ x: 2 }), render({ x: 3 }), setups]).toEqual(['1', '2', '3', 1]);
    expect(template({ x: 4 }, { data: {} })).toBe('4');
    expect([render({ x: 5 }), render({ x: 6 }), setups]).toEqual(['5', '6', 3]);
  });

  it('given either path (set-up reused, or the public call path forced), wants what a fresh Handlebars call renders', () => {
    for (const c of cases) {
      const fresh = Handlebars.template(spec(c.template) as never);
      const [reused, publicPath] = [renderFunction(spec(c.template)), renderFunction(spec(c.template), false)];
      for (const data of [...c.data, ...c.data]) {
        expect([c.template, reused(data), publicPath(data)]).toEqual([c.template, fresh(data), fresh(data)]);
      }
    }
  });

  it('the pinned handlebars is the installed one, and its templates have the _setup the fast path reuses', () => {
    // An upgrade fails here: check that runtime/artifact/templates.ts still matches Handlebars, then update the pin.
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const pinned = manifest.dependencies.handlebars;
    const installed = (createRequire(import.meta.url)('handlebars/package.json') as { version: string }).version;
    expect(pinned).toBe(installed);
    const template = (HandlebarsRuntime as unknown as { template(spec: unknown): RuntimeTemplate }).template(spec('{{x}}'));
    expect(hasReusableSetup(template)).toBe(true);
  });

  it('falls back to plain calls for a template without _setup', () => {
    const plain = ((data: { x: string }) => data.x) as unknown as RuntimeTemplate;
    expect(reuseSetup(plain)({ x: 'y' })).toBe('y');
    const otherShape = Object.assign(((data: { x: string }) => data.x) as unknown as RuntimeTemplate, { _setup: () => {} });
    expect([hasReusableSetup(otherShape), reuseSetup(otherShape)({ x: 'z' })]).toEqual([false, 'z']);
  });
});
