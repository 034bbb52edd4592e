import type { Principal } from '../../core/context.js';
import { claimOf } from '../../core/access.js';

const reference = /\$\{auth\.(name|claims(?:\.[^.}\s]+)+)\}/g;

/**
 * `${auth.name}` and `${auth.claims.<path>}` in an upstream credential: the calling principal's name or claim
 * (per-principal upstream credentials). Run after `${VAR}` resolution, so a claim's text is never interpolated.
 * `missing` names references the caller cannot fill (or all of them, without an authenticated caller).
 */
export function resolvePrincipalReferences(text: string, principal: Principal | undefined): { value: string; missing: string[] } {
  if (!text.includes('${auth.')) return { value: text, missing: [] };
  const missing: string[] = [];
  const value = text.replace(reference, (_m, path: string) => {
    const v = principal ? claimOf(principal, path) : undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    missing.push(`auth.${path}`);
    return '';
  });
  return { value, missing };
}
