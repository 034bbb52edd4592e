import { diagnosticCodes, type DiagnosticCode } from './codes.js';

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  /** info: what the build decided for the user (e.g. how a `mode: auto` source is served), never a failure. */
  readonly severity: Severity;
  readonly message: string;
  /** JSON pointer into the manifest, '' for the document itself. */
  readonly pointer: string;
  readonly at: SourcePosition;
  readonly hint: string;
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  at: SourcePosition,
  pointer: string,
  options: { hint?: string; severity?: Severity } = {}
): Diagnostic {
  return {
    code,
    severity: options.severity ?? 'error',
    message,
    pointer,
    at,
    hint: options.hint ?? diagnosticCodes[code].hint
  };
}

/** `file:line:col CODE message`, then the pointer and hint, each on an indented line. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.at.file}:${d.at.line}:${d.at.col} ${d.code} ${d.severity === 'error' ? '' : `${d.severity}: `}${d.message}`;
  return `${head}\n  at ${d.pointer === '' ? '/' : d.pointer}\n  hint: ${d.hint}`;
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) => a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line || a.at.col - b.at.col || a.code.localeCompare(b.code)
  );
}
