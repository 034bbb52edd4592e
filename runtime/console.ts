import { Console } from 'node:console';

let routed = false;

/**
 * On stdio, stdout is the protocol channel: everything the process's console would print there (a handler
 * imported into the server calling `console.log`, Handlebars' `{{log}}` helper, which uses `console.info`)
 * goes to stderr instead. The global console's methods are replaced rather than the object, so code that
 * kept a reference to `console` is redirected too. Sandboxed handlers are not concerned: their output
 * already reaches the server's stderr through the sandbox link.
 */
export function routeConsoleToStderr(): void {
  if (routed) return;
  routed = true;
  const toStderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  const target = console as unknown as Record<string, unknown>;
  for (const [name, method] of Object.entries(toStderr)) {
    if (typeof method === 'function') target[name] = method;
  }
}
