import { redact } from './redact.js';

/** Server log: stderr only (stdout is the stdio protocol channel). */
export type ServerLogLevel = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<ServerLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  enabled(level: ServerLogLevel): boolean;
}

export function createLogger(level: ServerLogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = rank[level];
  const emit = (l: ServerLogLevel) => (message: string) => {
    if (rank[l] >= min) write(`mcp-gen ${l}: ${redact(message)}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), enabled: (l) => rank[l] >= min };
}
