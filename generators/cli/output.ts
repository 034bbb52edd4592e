import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export function printDiagnostics(list: readonly Diagnostic[]): void {
  for (const d of list) process.stderr.write(formatDiagnostic(d) + '\n');
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  if (list.length > 0) process.stderr.write(`${errors} error(s), ${warnings} warning(s)\n`);
}
