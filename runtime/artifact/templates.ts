import HandlebarsRuntime from 'handlebars/runtime.js';
import type { TemplateFn } from './ir.js';

export interface RuntimeTemplate {
  (data: unknown, options?: object): string;
  _setup?: (this: unknown, options: object) => void;
}

// Handlebars' runtime (no compiler): its typings describe the module, the default export is the instance.
const handlebarsRuntime = HandlebarsRuntime as unknown as { template(spec: unknown): RuntimeTemplate };

/** The options every call passes: always the same object, so the set-up it leads to is always the same. */
const CALL_OPTIONS = Object.freeze({});

/**
 * A precompiled template as a render function. Handlebars rebuilds a template's helper table, hooks and
 * prototype-access rules on every call (most of a small template's cost); called with the same options each
 * time that work gives the same result, so it is done on the first call and again only after a call with
 * other options (a partial invocation) has replaced it.
 *
 * That set-up is `_setup`, a private member of Handlebars' template function (about 2 µs per render saved).
 * package.json pins handlebars exactly, and test/unit/render-function.test.ts fails when the pinned version's
 * templates lack it; with any other shape (an upgrade) renders take the public call path: slower, never wrong.
 * `reuse: false` takes the public path always.
 */
export function renderFunction(spec: unknown, reuse = true): TemplateFn {
  const template = handlebarsRuntime.template(spec);
  return reuse && hasReusableSetup(template) ? reuseSetup(template) : (data) => template(data);
}

/** Whether the template has the private set-up this module reuses, in the shape Handlebars 4.7 gives it. */
export function hasReusableSetup(template: RuntimeTemplate): boolean {
  return typeof template._setup === 'function' && template._setup.length === 1;
}

export function reuseSetup(template: RuntimeTemplate): TemplateFn {
  const setup = template._setup;
  if (typeof setup !== 'function' || !hasReusableSetup(template)) return (data) => template(data);
  let ready = false;
  template._setup = function (this: unknown, options: object) {
    if (options === CALL_OPTIONS && ready) return;
    setup.call(this, options);
    ready = options === CALL_OPTIONS;
  };
  return (data) => template(data, CALL_OPTIONS);
}
