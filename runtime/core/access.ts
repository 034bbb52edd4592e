import type { Principal, RequestContext } from './context.js';
import { RpcError } from './errors.js';
import { noteOutcome } from './outcome.js';

/*
 * The access rules the IR states on each entry (`scopes:`, `fromAuth:`), applied where the core answers:
 * hidden entries, refusals and claim-bound arguments. Who the caller is comes from the transport (authenticated
 * with the security set-up's Authentication); the per-call `authorize` middleware is runtime/security's.
 */

/** Scopes of `required` the caller lacks; none for a trusted caller (no principal: no auth:, or local stdio). */
export function missingScopes(principal: Principal | undefined, required: readonly string[] | undefined): string[] {
  if (!principal || !required || required.length === 0) return [];
  return required.filter((s) => !principal.scopes.includes(s));
}

export function permits(principal: Principal | undefined, required: readonly string[] | undefined): boolean {
  return !principal || !required || required.every((s) => principal.scopes.includes(s));
}

/** The names of `entries` the caller may see, as its lists show them: what an unknown name may be matched against. */
export function* visibleNames<T extends { readonly scopes?: readonly string[] }>(
  principal: Principal | undefined,
  entries: Iterable<T>,
  name: (e: T) => string
): Iterable<string> {
  for (const e of entries) if (permits(principal, e.scopes)) yield name(e);
}

/** The spec's insufficient-scope answer; HTTP turns it into a 403 with an `insufficient_scope` challenge. */
export function insufficientScope(what: string, required: readonly string[]): RpcError {
  return new RpcError('insufficientScope', `Insufficient scope: ${what} requires scope ${required.join(' ')}`, {
    requiredScopes: [...required]
  });
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
export function injectClaims(
  tool: string,
  args: Record<string, unknown>,
  fromAuth: Readonly<Record<string, string>>,
  principal: Principal | undefined
): string | undefined {
  for (const [argument, path] of Object.entries(fromAuth)) {
    delete args[argument];
    if (!principal)
      return `Tool ${tool} takes "${argument}" from the caller's credentials (${path}), and this request has no authenticated caller.`;
    const value = claimOf(principal, path);
    if (value === undefined || value === null)
      return `Tool ${tool} takes "${argument}" from the caller's credentials (${path}), which the caller's credentials do not carry.`;
    args[argument] = value;
  }
  return undefined;
}
