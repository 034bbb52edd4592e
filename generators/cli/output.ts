import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export function printDiagnostics(list: readonly Diagnostic[]): void {
  for (const d of list) process.stderr.write(formatDiagnostic(d) + '\n');
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  if (errors + warnings > 0) process.stderr.write(`${errors} error(s), ${warnings} warning(s)\n`);
}
