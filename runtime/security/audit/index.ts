import { resolve } from 'node:path';
import type { Artifact } from '../../artifact/ir.js';
import { ArtifactError } from '../../artifact/load.js';
import type { Catalog } from '../../core/catalog.js';
import { Auditor } from './auditor.js';
import { FileSink, StderrSink, type AuditSink } from './sink.js';

export { Auditor, AuditEntry, type AuditLine } from './auditor.js';
export { FileSink, StderrSink, type AuditSink } from './sink.js';

/**
 * The audit sink of one McpCore. A swap (mcp-gen dev) that keeps the same `audit:` keeps the open file, so
 * its buffer is never split between two descriptors.
 */
export class AuditSinks {
  private current: { readonly key: string; readonly sink: AuditSink } | undefined;

  /** An auditor over the artifact's tools (for their `x-sensitive` marks); undefined without `audit:`. */
  auditorFor(artifact: Artifact, root: string, catalog: Catalog): Auditor | undefined {
    const config = artifact.audit;
    if (!config) return undefined;
    const path = config.sink === 'file' ? resolve(root, config.path) : undefined;
    const key = JSON.stringify([config.sink, path, config.sink === 'file' ? config.flushMs : 0]);
    if (this.current?.key !== key) {
      const sink = path === undefined ? new StderrSink() : openFile(path, config.sink === 'file' ? config.flushMs : 1000);
      const previous = this.current?.sink;
      this.current = { key, sink };
      previous?.close();
    }
    return new Auditor(this.current.sink, (tool) => catalog.tools.get(tool)?.ir.descriptor.inputSchema);
  }

  /** Flushes and fsyncs; lines of calls still running are then written one by one. */
  close(): void {
    this.current?.sink.close();
  }
}

function openFile(path: string, flushMs: number): AuditSink {
  try {
    return new FileSink(path, flushMs);
  } catch (e) {
    throw new ArtifactError(
      `audit log ${path} cannot be opened for appending ` +
        `(${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): fix audit.sink.file or its ` +
        `folder's permissions`
    );
  }
}
