import { watch, type FSWatcher } from 'node:fs';

/** Something that can receive unsolicited notifications: a 2025 session's stream, or the stdio channel. */
export type Subscriber = (message: string) => void;

/**
 * resources/subscribe: one file watcher per subscribed file, shared by every subscriber, closed with the
 * last one. A change sends notifications/resources/updated to each subscriber of that URI.
 */
export class Subscriptions {
  private readonly byUri = new Map<string, { subscribers: Set<Subscriber>; watcher?: FSWatcher }>();

  constructor(private readonly updated: (uri: string) => string) {}

  subscribe(uri: string, path: string | undefined, subscriber: Subscriber): void {
    let entry = this.byUri.get(uri);
    if (!entry) {
      entry = { subscribers: new Set() };
      if (path) {
        try {
          const e = entry;
          e.watcher = watch(path, { persistent: false }, () => this.emit(uri, e.subscribers));
        } catch {
          // A file that cannot be watched still accepts the subscription; it just never fires.
        }
      }
      this.byUri.set(uri, entry);
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

  /** Drops a subscriber everywhere (its session ended). */
  forget(subscriber: Subscriber): void {
    for (const uri of [...this.byUri.keys()]) this.unsubscribe(uri, subscriber);
  }

  private emit(uri: string, subscribers: Set<Subscriber>): void {
    const message = this.updated(uri);
    for (const s of subscribers) s(message);
  }

  close(): void {
    for (const e of this.byUri.values()) e.watcher?.close();
    this.byUri.clear();
  }
}
