import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import type { Dialect } from './schema/index.js';

/** A bundled OpenAPI document: external file refs pulled in, internal refs kept (never dereferenced). */
export interface LoadedSpec {
  readonly source: string;
  readonly file: string;
  readonly dialect: Dialect;
  readonly doc: Record<string, unknown>;
  /** Values for the document's server variables, from the manifest. */
  readonly serverVariables?: Readonly<Record<string, string>>;
}

export type SpecResult = { spec: LoadedSpec } | { error: string };

export function specPath(location: string, manifestDir: string): string {
  if (location.startsWith('file:')) return fileURLToPath(location);
  return isAbsolute(location) ? location : resolve(manifestDir, location);
}

/**
 * Loads and validates one document. Remote `$ref`s are refused (the spec must not fetch from the network
 * at build unless asked); Swagger 2.0 is reported as not supported yet.
 */
export async function loadSpec(source: string, location: string, manifestDir: string, serverVariables?: Readonly<Record<string, string>>): Promise<SpecResult> {
  const file = specPath(location, manifestDir);
  const options = { resolve: { http: false as const, external: true } };
  let bundled: OpenAPI.Document;
  try {
    bundled = await SwaggerParser.bundle(file, options);
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
  const version = String((bundled as { openapi?: string; swagger?: string }).openapi ?? (bundled as { swagger?: string }).swagger ?? '');
  if (version.startsWith('2.')) return { error: 'Swagger 2.0 documents are not supported yet: convert to OpenAPI 3 (e.g. with swagger2openapi) and point at the result' };
  if (!/^3\.[01]\./.test(version)) return { error: `unsupported OpenAPI version ${JSON.stringify(version)}: 3.0 and 3.1 are supported` };
  try {
    await SwaggerParser.validate(structuredClone(bundled), options);
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
  const dialect = version.startsWith('3.1') ? '3.1' : '3.0';
  return { spec: { source, file, dialect, doc: bundled as unknown as Record<string, unknown>, ...(serverVariables ? { serverVariables } : {}) } };
}

/** The parser's message with its first details (validation errors list one problem per line). */
function firstLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.slice(0, 4).join(' — ');
}
