import { decodePointer } from '../schema/refs.js';
import { parameterSchema } from './parameters.js';
import { convertSchema } from './schema.js';
import { extensions, follow, isObj, obj, type Context, type Obj } from './context.js';

/** Response headers: 2.0 describes them like parameters (`type`, `items`), 3.0 with a schema. */
function headersOf(ctx: Context, headers: unknown): Obj | undefined {
  if (!isObj(headers)) return undefined;
  const out: Obj = {};
  for (const [name, h] of Object.entries(headers)) {
    const header = obj(h);
    const schema = parameterSchema(ctx, header, `header ${name}`);
    out[name] = {
      ...(typeof header.description === 'string' ? { description: header.description } : {}),
      schema: 'skip' in schema ? {} : schema.value
    };
  }
  return out;
}

/** One response: its schema (and examples) under each media type the operation produces. */
export function convertResponse(ctx: Context, response: Obj, produces: readonly string[]): Obj {
  const out: Obj = { description: typeof response.description === 'string' ? response.description : '', ...extensions(response) };
  const headers = headersOf(ctx, response.headers);
  if (headers) out.headers = headers;
  if (response.schema !== undefined) {
    const schema = convertSchema(ctx, response.schema);
    const file = obj(response.schema).type === 'file';
    const types = produces.length > 0 ? produces : [file ? 'application/octet-stream' : 'application/json'];
    const examples = obj(response.examples);
    out.content = Object.fromEntries(types.map((t) => [t, { schema, ...(examples[t] !== undefined ? { example: examples[t] } : {}) }]));
  }
  return out;
}

/**
 * An operation's responses. A ref to a shared response stays a ref when the operation produces what the document
 * does (the component was converted with those types); otherwise it is converted in place with the operation's.
 */
export function convertResponses(ctx: Context, responses: Obj, produces: readonly string[], docProduces: readonly string[]): Obj {
  const out: Obj = {};
  for (const [code, value] of Object.entries(responses)) {
    if (code.startsWith('x-')) {
      out[code] = value;
      continue;
    }
    const ref = obj(value).$ref;
    const shared =
      typeof ref === 'string' && /^#\/responses\/[^/]+$/.test(ref) && isObj(obj(ctx.source.responses)[decodePointer(ref.slice(1))[1]!]);
    if (shared && produces.join() === docProduces.join()) {
      out[code] = { $ref: `#/components/responses/${ref.slice(12)}` };
      continue;
    }
    const target = follow(ctx, value);
    // A ref that leads nowhere stays as written: the loader skips the operation and names the ref.
    out[code] = 'missing' in target ? value : convertResponse(ctx, target.value, produces);
  }
  return out;
}
