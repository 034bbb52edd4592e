import type { McpSurfaceIR } from './ir.js';

type Obj = Readonly<Record<string, unknown>>;

/** What an upstream list holds now that the build did not see, or lost since: one line for the log; '' when nothing. */
export function surfaceDrift(surface: McpSurfaceIR, list: 'tools' | 'resources' | 'prompts', now: readonly Obj[]): string {
  const key = (e: Obj) => String(e.name === undefined || list === 'resources' ? (e.uri ?? e.uriTemplate) : e.name);
  const built = list === 'resources' ? [...surface.resources, ...surface.resourceTemplates] : surface[list];
  const before = new Set(built.map(key));
  const after = new Set(now.map(key));
  const added = [...after].filter((n) => !before.has(n));
  const removed = [...before].filter((n) => !after.has(n));
  const parts = [
    added.length > 0 ? `new ${list}: ${added.slice(0, 5).join(', ')}` : '',
    removed.length > 0 ? `${list} gone: ${removed.slice(0, 5).join(', ')}` : ''
  ];
  return parts.filter(Boolean).join('; ');
}
