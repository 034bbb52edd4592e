import type { Artifact, ListPages } from '../../runtime/artifact/ir.js';

/** Splits each list into pages and serialises every page once; the runtime only wraps them in a response. */
export function emitLists(artifact: Artifact): ListPages {
  const size = artifact.server.pageSize;
  return {
    tools: pages('tools', artifact.tools.map((t) => t.descriptor), size),
    resources: pages('resources', artifact.resources.map((r) => r.descriptor), size),
    resourceTemplates: pages('resourceTemplates', artifact.resourceTemplates.map((r) => r.descriptor), size),
    prompts: pages('prompts', artifact.prompts.map((p) => p.descriptor), size)
  };
}

function pages(key: string, items: readonly unknown[], size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start === 0 || start < items.length; start += size) {
    const page = items.slice(start, start + size);
    const next = start + size < items.length ? { nextCursor: String(out.length + 1) } : {};
    out.push(JSON.stringify({ [key]: page, ...next }));
  }
  return out;
}
