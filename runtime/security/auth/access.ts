import type { Artifact, ListPages } from '../../artifact/ir.js';
import { paginate } from '../../artifact/pages.js';
import type { Principal } from '../../core/context.js';
import { RpcError } from '../../core/errors.js';
import type { Call, Middleware } from '../../core/pipeline.js';
import type { RequestContext } from '../../core/context.js';
import { noteOutcome } from '../../core/outcome.js';
import { unknownPrompt, unknownResource, unknownTool } from '../../core/unknown.js';

/** Scopes of `required` the caller lacks; none for a trusted caller (no principal: no auth:, or local stdio). */
export function missingScopes(principal: Principal | undefined, required: readonly string[] | undefined): string[] {
  if (!principal || !required || required.length === 0) return [];
  return required.filter((s) => !principal.scopes.includes(s));
}

export function permits(principal: Principal | undefined, required: readonly string[] | undefined): boolean {
  return !principal || !required || required.every((s) => principal.scopes.includes(s));
}

/** The names of `entries` the caller may see, as its lists show them: what an unknown name may be matched against. */
export function* visibleNames<T extends { readonly scopes?: readonly string[] }>(principal: Principal | undefined, entries: Iterable<T>, name: (e: T) => string): Iterable<string> {
  for (const e of entries) if (permits(principal, e.scopes)) yield name(e);
}

/** The spec's insufficient-scope answer; HTTP turns it into a 403 with an `insufficient_scope` challenge. */
export function insufficientScope(what: string, required: readonly string[]): RpcError {
  return new RpcError('insufficientScope', `Insufficient scope: ${what} requires scope ${required.join(' ')}`, { requiredScopes: [...required] });
}

/**
 * Whether a caller may learn that an entry it lacks the scopes for exists. Only where it can step up (an OAuth
 * token: the client can ask for one with more scopes) does the spec's insufficient-scope error help it. An API
 * key cannot, so for it the entry is hidden: answered exactly as an unknown name (no status, code or text
 * confirms a guessed name), with `denied` noted for the audit log.
 */
export function mayLearnOf(ctx: RequestContext): boolean {
  if (ctx.principal?.canStepUp === true) return true;
  noteOutcome(ctx, 'denied');
  return false;
}

/** The refusal of a call to an entry the caller lacks the scopes for: see `mayLearnOf`. */
export function refusal(ctx: RequestContext, what: string, required: readonly string[], unknown: () => RpcError): RpcError {
  return mayLearnOf(ctx) ? insufficientScope(what, required) : unknown();
}

const unknownOf: Record<Call['type'], (call: Call) => RpcError> = {
  tool: (call) => unknownTool(call.target),
  prompt: (call) => unknownPrompt(call.target),
  resource: (call) => unknownResource(call.target, call.request.era)
};

/** Authorization in the per-call pipeline: every required scope of the target, or its refusal. */
export const authorize: Middleware = (call, next) => {
  if (!permits(call.request.principal, call.scopes)) throw refusal(call.request, `${call.type} ${call.target}`, call.scopes!, call.unknown ?? (() => unknownOf[call.type](call)));
  return next();
};

const MAX_CACHED = 256;

/**
 * The four lists as each caller may see them. Without scopes in the artifact (or for a trusted caller) the
 * pre-serialised pages are served as they are; otherwise pages are built per set of held scopes, once, and cached.
 */
export class ListAccess {
  /** Whether lists differ between callers (some entry has scopes). */
  readonly filtered: boolean;
  private readonly relevant: ReadonlySet<string>;
  private readonly cache = new Map<string, ListPages>();

  constructor(
    private readonly artifact: Artifact,
    private readonly all: ListPages
  ) {
    const entries = [...artifact.tools, ...artifact.resources, ...artifact.resourceTemplates, ...artifact.prompts];
    this.relevant = new Set(entries.flatMap((e) => e.scopes ?? []));
    this.filtered = this.relevant.size > 0;
  }

  pages(principal: Principal | undefined): ListPages {
    if (!this.filtered || !principal) return this.all;
    const key = principal.scopes.filter((s) => this.relevant.has(s)).sort().join(' ');
    let pages = this.cache.get(key);
    if (!pages) {
      const { artifact } = this;
      const size = artifact.server.pageSize;
      const visible = <T extends { scopes?: readonly string[]; descriptor: unknown }>(list: readonly T[]) => list.filter((e) => permits(principal, e.scopes)).map((e) => e.descriptor);
      pages = {
        tools: paginate('tools', visible(artifact.tools), size),
        resources: paginate('resources', visible(artifact.resources), size),
        resourceTemplates: paginate('resourceTemplates', visible(artifact.resourceTemplates), size),
        prompts: paginate('prompts', visible(artifact.prompts), size)
      };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, pages);
    }
    return pages;
  }
}

/** The value at `name` or `claims.<path>` of the caller, or undefined. */
export function claimOf(principal: Principal, path: string): unknown {
  if (path === 'name') return principal.name;
  let value: unknown = principal.claims;
  for (const part of path.split('.').slice(1)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Fills claim-bound arguments from the caller, overwriting anything the model sent for them. Returns the
 * problem when the caller has no such claim (or there is no authenticated caller at all).
 */
export function injectClaims(tool: string, args: Record<string, unknown>, fromAuth: Readonly<Record<string, string>>, principal: Principal | undefined): string | undefined {
  for (const [argument, path] of Object.entries(fromAuth)) {
    delete args[argument];
    if (!principal) return `Tool ${tool} takes "${argument}" from the caller's credentials (${path}), and this request has no authenticated caller.`;
    const value = claimOf(principal, path);
    if (value === undefined || value === null) return `Tool ${tool} takes "${argument}" from the caller's credentials (${path}), which the caller's credentials do not carry.`;
    args[argument] = value;
  }
  return undefined;
}
