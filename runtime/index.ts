export { loadArtifact, ArtifactError, type LoadedArtifact } from './artifact/load.js';
export * from './artifact/ir.js';
export { McpCore, type Channel, type Reply, type CoreOptions } from './core/server.js';
export type { Middleware, Call } from './core/pipeline.js';
export { RpcError, rpcErrors } from './core/errors.js';
export { serveStdio, type StdioServer } from './transports/stdio.js';
export { createHttpServer, type HttpServer, type HttpOptions } from './transports/http.js';
export { createLogger, type Logger } from './log.js';
export type { ToolContext, ToolResult } from './kinds/kind.js';
