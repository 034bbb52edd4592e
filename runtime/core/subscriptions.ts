import { watch, type FSWatcher } from 'node:fs';

/** Receives the URI of a resource that changed. */
export type Subscriber = (uri: string) => void;

/**
 * Resource subscriptions (2025 resources/subscribe, 2026 subscriptions/listen): one file watcher per
 * subscribed file, shared by every subscriber, closed with the last one.
 */
export class Subscriptions {
  private readonly byUri = new Map<string, { subscribers: Set<Subscriber>; watcher?: FSWatcher }>();

  subscribe(uri: string, path: string | undefined, subscriber: Subscriber): void {
    let entry = this.byUri.get(uri);
    if (!entry) {
      const created: { subscribers: Set<Subscriber>; watcher?: FSWatcher } = { subscribers: new Set() };
      if (path) {
        try {
          created.watcher = watch(path, { persistent: false }, () => {
            for (const s of created.subscribers) s(uri);
          });
        } catch {
          // A file that cannot be watched still accepts the subscription; it just never fires.
        }
      }
      this.byUri.set(uri, created);
      entry = created;
    }
    entry.subscribers.add(subscriber);
  }

  unsubscribe(uri: string, subscriber: Subscriber): void {
    const entry = this.byUri.get(uri);
    if (!entry) return;
    entry.subscribers.delete(subscriber);
    if (entry.subscribers.size === 0) {
      entry.watcher?.close();
      this.byUri.delete(uri);
    }
  }

  /** Drops a subscriber everywhere (its session or stream ended). */
  forget(subscriber: Subscriber): void {
    for (const uri of [...this.byUri.keys()]) this.unsubscribe(uri, subscriber);
  }

  close(): void {
    for (const e of this.byUri.values()) e.watcher?.close();
    this.byUri.clear();
  }
}
