import { compile } from '@jmespath-community/jmespath';
import type { Artifact, SelectIR, ToolIR } from '../../runtime/artifact/ir.js';
import { SELECTED } from '../../runtime/core/select.js';
import { closest } from '../../runtime/suggest.js';
import { obj, type Obj } from '../plain.js';
import { valueAt } from '../validate/pointer.js';
import type { LowerContext } from './context.js';

type Node = { readonly type: string; readonly [k: string]: unknown };

/** What the walk learns: the schema of the selected value, and each field the result schema says cannot be there. */
interface Walk {
  readonly root: Obj;
  readonly problems: string[];
  /** Keys of the object the expression builds (a multiselect hash), for `fields: true`. */
  readonly keys: string[];
}

/** `#/$defs/X` references resolved against the tool's output schema; anything else is left as it is. */
function deref(schema: Obj, root: Obj): Obj {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return schema;
  return obj(obj(root.$defs)[ref.slice('#/$defs/'.length)]);
}

/** A schema whose properties are known and closed enough to say a field is not there. */
function knownProperties(schema: Obj): Obj | undefined {
  if (schema.allOf || schema.anyOf || schema.oneOf || schema.patternProperties || schema.additionalProperties === true) return undefined;
  return schema.properties === undefined ? undefined : obj(schema.properties);
}

/** The schema of `node` applied to a value of `schema`: a walk of the expression's syntax tree. */
function shape(node: Node, input: Obj, walk: Walk, at: string): Obj {
  const schema = deref(input, walk.root);
  const child = (key: string) => obj(node[key]) as Node;
  switch (node.type) {
    case 'Field': {
      const name = String(node.name);
      const props = knownProperties(schema);
      if (props && !(name in props)) {
        const near = closest(name, Object.keys(props));
        walk.problems.push(
          `no field "${name}" at ${at || 'the top'}${near ? ` (did you mean "${near}"?)` : ` (fields: ${Object.keys(props).join(', ')})`}`
        );
        return {};
      }
      return props ? obj(props[name]) : {};
    }
    case 'Subexpression':
      return shape(child('right'), shape(child('left'), schema, walk, at), walk, `${at}${at ? '.' : ''}${describe(child('left'))}`);
    case 'IndexExpression':
    case 'Slice':
      return node.type === 'Slice' ? schema : shape(child('right'), shape(child('left'), schema, walk, at), walk, at);
    case 'Index':
      return deref(obj(schema.items), walk.root);
    case 'Projection':
    case 'FilterProjection': {
      const list = shape(child('left'), schema, walk, at);
      const items = deref(obj(list.items), walk.root);
      return { type: 'array', items: shape(child('right'), items, walk, `${at}${describe(child('left'))}[*]`) };
    }
    case 'Flatten': {
      const list = shape(child('child'), schema, walk, at);
      return { type: 'array', items: deref(obj(deref(obj(list.items), walk.root).items ?? list.items), walk.root) };
    }
    case 'MultiSelectHash': {
      const properties: Obj = {};
      for (const pair of (node.children as Node[]) ?? []) {
        properties[String(pair.name)] = shape(obj(pair.value) as Node, schema, walk, at);
        if (at === '' || at.endsWith('[*]')) walk.keys.push(String(pair.name));
      }
      return { type: 'object', properties };
    }
    case 'MultiSelectList':
      return { type: 'array', items: {} };
    case 'Identity':
    case 'Current':
      return schema;
    default:
      // Functions, comparisons, pipes, literals: what they give is not checked against the schema.
      return {};
  }
}

const describe = (node: Node): string =>
  node.type === 'Field'
    ? String(node.name)
    : node.type === 'Subexpression'
      ? `${describe(obj(node.left) as Node)}.${describe(obj(node.right) as Node)}`
      : '…';

/**
 * `select:` (and `fields:`) of tools → SelectIR, checked against the tool's output schema (a field the schema says
 * is not there is an error with a did-you-mean), with the outputSchema derived from the projection; `fields: true`
 * adds a `fields` argument listing the keys the projection builds. Read from the manifest entry of each tool (its
 * own, or the `operation:` override of a generated one).
 */
export function lowerSelect(artifact: Artifact, ctx: LowerContext): Artifact {
  const tools = artifact.tools.map((tool): ToolIR => {
    const entry = obj(valueAt(ctx.manifest.value, tool.at.pointer));
    if (typeof entry.select !== 'string' || !tool.at.pointer.startsWith('/tools/')) return tool;
    const pointer = `${tool.at.pointer}/select`;
    let ast: Node;
    try {
      ast = compile(entry.select) as unknown as Node;
    } catch (e) {
      ctx.error('MCPGEN_SELECT', `select of tool "${tool.name}" is not a JMESPath expression: ${(e as Error).message}`, pointer);
      return tool;
    }
    const output = obj(tool.descriptor.outputSchema);
    const walk: Walk = { root: output, problems: [], keys: [] };
    const selected = shape(ast, output, walk, '');
    for (const p of walk.problems) ctx.error('MCPGEN_SELECT', `select of tool "${tool.name}": ${p} in its result`, pointer);
    const fields = entry.fields === true ? [...new Set(walk.keys)] : undefined;
    if (entry.fields === true && fields!.length === 0)
      ctx.error(
        'MCPGEN_SELECT',
        `fields: true on tool "${tool.name}" needs a select: that builds an object, e.g. "items[*].{id: id, name: name}"`,
        `${tool.at.pointer}/fields`
      );
    const $defs = output.$defs ? { $defs: output.$defs } : {};
    const wrap = selected.type !== 'object';
    const derived = wrap
      ? { type: 'object', properties: { [SELECTED]: selected }, required: [SELECTED], ...$defs }
      : { ...selected, ...$defs };
    const validator = ctx.validators.add(derived);
    const picked = fields && fields.length > 0 ? fields : undefined;
    const select: SelectIR = { expression: entry.select, ...(picked ? { fields: picked } : {}), ...(wrap ? { wrap: true as const } : {}) };
    if (picked && 'fields' in obj(obj(tool.descriptor.inputSchema).properties))
      ctx.error(
        'MCPGEN_SELECT',
        `fields: true on tool "${tool.name}", which has an argument named fields already`,
        `${tool.at.pointer}/fields`
      );
    const inputSchema = picked ? withFields(obj(tool.descriptor.inputSchema), picked) : tool.descriptor.inputSchema;
    // The validator's schema may hold more than the public one (claim-filled arguments): widen that one.
    const argsValidator = picked
      ? ctx.validators.add(withFields(ctx.validators.schemaOf(tool.validator) ?? obj(inputSchema), picked))
      : undefined;
    return {
      ...tool,
      descriptor: { ...tool.descriptor, inputSchema, outputSchema: derived },
      ...('name' in validator ? { outputValidator: validator.name } : {}),
      ...(argsValidator && 'name' in argsValidator ? { validator: argsValidator.name } : {}),
      select
    };
  });
  return { ...artifact, tools };
}

function withFields(schema: Obj, fields: readonly string[]): Obj {
  const properties = {
    ...obj(schema.properties),
    fields: {
      type: 'array',
      items: { enum: [...fields] },
      uniqueItems: true,
      description: `Only these fields of each result (default: all of ${fields.join(', ')}).`
    }
  };
  return { ...schema, properties };
}
