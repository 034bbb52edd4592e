import type { Artifact, ListPages } from '../artifact/ir.js';
import { paginate } from '../artifact/pages.js';
import type { Catalog, PreparedTool } from './catalog.js';
import type { RequestContext } from './context.js';
import type { ListView } from './security.js';

/** What one endpoint serves: the root's tools, or a toolset's (with its scopes added to each), and their lists. */
export interface ToolView {
  readonly tools: ReadonlyMap<string, PreparedTool>;
  readonly lists: ListView;
}

/** Lists as every caller sees them: for a server without a security set-up. */
export const unfiltered = (_view: Artifact, pages: ListPages): ListView => ({ filtered: false, pages: () => pages });

/**
 * The root's view (every tool but those only toolsets serve) and one per toolset, by toolset name ('' for the
 * root). A toolset's tools are the catalogue's own executors; only their scopes differ (the tool's and the toolset's).
 */
export function toolViews(
  artifact: Artifact,
  catalog: Catalog,
  pages: ListPages,
  root: ListView,
  listsOf: (view: Artifact, pages: ListPages) => ListView
): ReadonlyMap<string, ToolView> {
  const views = new Map<string, ToolView>([
    ['', { tools: new Map([...catalog.tools].filter(([, t]) => t.ir.onlyIn === undefined)), lists: root }]
  ]);
  for (const [name, set] of Object.entries(artifact.toolsets ?? {})) {
    const tools = new Map<string, PreparedTool>();
    for (const toolName of set.tools) {
      const tool = catalog.tools.get(toolName);
      if (!tool) continue;
      const scopes = [...new Set([...(tool.ir.scopes ?? []), ...(set.scopes ?? [])])];
      tools.set(toolName, set.scopes ? { ...tool, ir: { ...tool.ir, scopes } } : tool);
    }
    const irs = Array.from(tools.values(), (t) => t.ir);
    const own = {
      ...pages,
      tools: paginate(
        'tools',
        irs.map((t) => t.descriptor),
        artifact.server.pageSize
      )
    };
    views.set(name, { tools, lists: listsOf({ ...artifact, tools: irs }, own) });
  }
  // A toolset the served artifact no longer has (renamed under `mcp-gen dev --toolset`, or swapped out while a
  // request was on its way) serves nothing: never the root's tools.
  const none = { ...pages, tools: paginate('tools', [], artifact.server.pageSize) };
  views.set(GONE, { tools: new Map(), lists: listsOf({ ...artifact, tools: [] }, none) });
  return views;
}

const GONE = '\0gone';

/** The view of the endpoint a request came in on: the root when it names no toolset, nothing for one the artifact lacks. */
export function viewOf(views: ReadonlyMap<string, ToolView>, ctx: RequestContext): ToolView {
  return views.get(ctx.toolset ?? '') ?? views.get(GONE)!;
}
