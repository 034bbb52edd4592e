import { writeFileSync } from 'node:fs';

/** Writes a small OpenAPI 3.0 document served at `url`: `rest` holds its paths (and components, security…). */
export function writeOpenApi(file: string, title: string, url: string, rest: Readonly<Record<string, unknown>>): void {
  writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info: { title, version: '1' }, servers: [{ url }], ...rest }));
}
