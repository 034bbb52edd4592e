import type { CompactForm, SourceLowered } from '../kinds/kind.js';
import type { LowerContext } from './context.js';
import { listTokens } from './tokens.js';

/** A lowered source that asked to be fitted to the budget (`mode: auto`). */
export interface FitCandidate {
  readonly name: string;
  readonly lowered: SourceLowered;
}

const n = (value: number) => value.toLocaleString('en-US');

/**
 * `mode: auto`: which candidate sources keep one tool per entry and which are served in their compact form. Every
 * compact form is affordable, so its cost is set aside first; what server.tokenBudget leaves after the other tools
 * and those is shared smallest source first: a source keeps its tools while the extra they cost fits what is left
 * (so one huge API never pushes a small one into the compact form). A source served compact, or kept whole over its
 * share because it cannot be, is reported as a build message (severity info).
 * Returns the names of the sources served compact.
 */
/** Where the fitting happens, for the messages: the root endpoint (the default), or a toolset. */
export interface FitScope {
  /** Follows the source's name, e.g. ` in toolset "issues"`. */
  readonly label: string;
  /** The budget's setting, e.g. `toolsets.issues.tokenBudget`. */
  readonly setting: string;
  /** Where messages point (default: the source's). */
  readonly pointer?: string;
}

const ROOT: FitScope = { label: '', setting: 'server.tokenBudget' };

export function fitToBudget(
  otherTokens: number,
  candidates: readonly FitCandidate[],
  budget: number,
  ctx: LowerContext,
  scope: FitScope = ROOT
): Set<string> {
  const sized = candidates
    .map((c) => {
      const compact = c.lowered.compact !== undefined && 'tools' in c.lowered.compact ? c.lowered.compact : undefined;
      return { ...c, compact, full: listTokens(c.lowered.tools ?? []), small: compact ? listTokens(compact.tools) : 0 };
    })
    .sort((a, b) => a.full - b.full || a.name.localeCompare(b.name));
  // Set aside first: every compact form, and the tools of a source that cannot be compacted (they stay whatever happens).
  let left = budget - otherTokens - sized.reduce((sum, c) => sum + (c.compact ? c.small : c.full), 0);
  const compacted = new Set<string>();
  for (const c of sized) {
    const share = Math.max(0, left + c.small);
    const count = c.lowered.tools?.length ?? 0;
    const what = `source "${c.name}" (mode: auto)${scope.label}`;
    const size = `about ${n(c.full)} tokens`;
    const of = `of ${scope.setting} (${n(budget)})`;
    const pointer = scope.pointer ?? c.compact?.pointer ?? `/sources/${c.name}`;
    if (!c.compact) {
      // Already set aside; worth saying only when the list ends up over the budget.
      const why = (c.lowered.compact as { unavailable: string }).unavailable;
      if (left < 0) ctx.info('MCPGEN_AUTO_MODE', `${what} keeps its ${count} tools (${size}; the list is over ${of}): ${why}`, pointer);
      continue;
    }
    // Within its share a source is served as written, and nothing needs saying: `mcp-gen list --tokens` shows sizes.
    // The compact form is not always smaller (a handful of operations): then the tools are the better deal.
    if (c.full - c.small <= Math.max(0, left)) left -= c.full - c.small;
    else {
      compacted.add(c.name);
      ctx.info('MCPGEN_AUTO_MODE', compactMessage(what, c.compact, count, size, share, of), pointer);
    }
  }
  return compacted;
}

function compactMessage(what: string, compact: CompactForm, count: number, size: string, share: number, of: string): string {
  const names = compact.tools.map((t) => t.name).join(', ');
  return (
    `${what} is served as ${compact.tools.length} tools (${names}) instead of its ${count}: those would be ${size}, over ` +
    `the ${n(share)} left for it ${of}; ${compact.reach}`
  );
}
