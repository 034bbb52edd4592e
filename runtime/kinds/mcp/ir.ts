/**
 * The MCP kind's artifact data: an upstream MCP server whose tools, resources, resource templates and prompts
 * are mounted (renamed under a prefix) and called through.
 */

/** How to reach the upstream. Strings keep their `${VAR}` references (resolved when the connection opens). */
export type McpTransportIR =
  | { readonly type: 'http'; readonly url: string; readonly headers: Readonly<Record<string, string>> }
  | {
      readonly type: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      readonly env: Readonly<Record<string, string>>;
      /** Relative to the manifest directory (default: that directory). */
      readonly cwd?: string;
    };

/** The upstream's lists as the build saw them (descriptors exactly as the upstream sent them). */
export interface McpSurfaceIR {
  readonly tools: readonly Readonly<Record<string, unknown>>[];
  readonly resources: readonly Readonly<Record<string, unknown>>[];
  readonly resourceTemplates: readonly Readonly<Record<string, unknown>>[];
  readonly prompts: readonly Readonly<Record<string, unknown>>[];
  /** The protocol era the upstream spoke at build: the runtime connects in it directly (no probe). */
  readonly era?: 'legacy' | 'modern';
  /** The upstream's serverInfo name and version, when it sent one. */
  readonly server?: { readonly name: string; readonly version: string };
}

export interface McpSourceIR {
  readonly kind: 'mcp';
  readonly transport: McpTransportIR;
  /** Longest wait for one upstream request (the upstream's progress resets it). */
  readonly timeoutMs: number;
  /** Recorded at build: an offline build reuses it, and the runtime names what drifted after a list_changed. */
  readonly surface: McpSurfaceIR;
}

/** A mounted entry: which upstream tool / resource URI / template / prompt it calls through to. */
export interface McpExec {
  readonly source: string;
  /** The upstream's tool or prompt name, resource URI or URI template (never the mounted name). */
  readonly upstream: string;
}
