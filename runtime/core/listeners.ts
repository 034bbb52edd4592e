/** Lists whose contents can change while serving (`mcp-gen dev` swaps the artifact). */
export type ListName = 'tools' | 'prompts' | 'resources';

export const listChangedMethod: Record<ListName, string> = {
  tools: 'notifications/tools/list_changed',
  prompts: 'notifications/prompts/list_changed',
  resources: 'notifications/resources/list_changed'
};

/** Everyone to tell when a list changes: 2025 sessions and 2026 subscriptions/listen streams. */
export class ListListeners {
  private readonly listeners = new Set<(list: ListName) => void>();

  add(listener: (list: ListName) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(list: ListName): void {
    for (const l of this.listeners) l(list);
  }

  get size(): number {
    return this.listeners.size;
  }
}
