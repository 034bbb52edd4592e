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
 */
export function renderFunction(spec: unknown): TemplateFn {
  return reuseSetup(handlebarsRuntime.template(spec));
}

export function reuseSetup(template: RuntimeTemplate): TemplateFn {
  const setup = template._setup;
  if (typeof setup !== 'function') return (data) => template(data);
  let ready = false;
  template._setup = function (this: unknown, options: object) {
    if (options === CALL_OPTIONS && ready) return;
    setup.call(this, options);
    ready = options === CALL_OPTIONS;
  };
  return (data) => template(data, CALL_OPTIONS);
}
