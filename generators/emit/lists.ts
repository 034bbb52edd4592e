import type { Artifact, ListPages } from '../../runtime/artifact/ir.js';
import { rootTools } from '../../runtime/artifact/toolsets.js';
import { paginate } from '../../runtime/artifact/pages.js';

/** Splits each list into pages and serialises every page once; the runtime only wraps them in a response. */
export function emitLists(artifact: Artifact): ListPages {
  const size = artifact.server.pageSize;
  return {
    tools: paginate(
      'tools',
      rootTools(artifact.tools).map((t) => t.descriptor),
      size
    ),
    resources: paginate(
      'resources',
      artifact.resources.map((r) => r.descriptor),
      size
    ),
    resourceTemplates: paginate(
      'resourceTemplates',
      artifact.resourceTemplates.map((r) => r.descriptor),
      size
    ),
    prompts: paginate(
      'prompts',
      artifact.prompts.map((p) => p.descriptor),
      size
    )
  };
}
