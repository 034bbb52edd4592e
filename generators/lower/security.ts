import { createHash } from 'node:crypto';
import type { ApiKeyIR, Artifact, AuthIR, OAuthIR, ToolIR } from '../../runtime/artifact/ir.js';
import { hasEnvReference } from '../../runtime/env.js';
import type { LowerContext } from './context.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/**
 * `auth:`, `scopes:` and `fromAuth:` → IR, after every entry is lowered: scopes from the entry or its source,
 * claim-filled arguments taken out of the public input schema, API keys stored as references or hashes only.
 */
export function lowerSecurity(artifact: Artifact, ctx: LowerContext): Artifact {
  const value = obj(ctx.manifest.value);
  const sources = obj(value.sources);
  const entryAt = (pointer: string): Obj | undefined => {
    const m = /^\/(tools|resources|prompts)\/(\d+)$/.exec(pointer);
    return m ? obj((value[m[1]!] as unknown[] | undefined)?.[Number(m[2])]) : undefined;
  };
  const sourceScopes = (exec: object) => ('source' in exec ? strings(obj(sources[String(exec.source)]).scopes) : undefined);
  const scoped = <T extends { at: { pointer: string }; exec: object }>(ir: T): T => {
    const scopes = strings(entryAt(ir.at.pointer)?.scopes) ?? sourceScopes(ir.exec);
    return scopes && scopes.length > 0 ? { ...ir, scopes } : ir;
  };
  const tools = artifact.tools.map((t) => withFromAuth(scoped(t), entryAt(t.at.pointer), sources, ctx));
  const resources = artifact.resources.map(scoped);
  const resourceTemplates = artifact.resourceTemplates.map(scoped);
  const prompts = artifact.prompts.map((p) => {
    const scopes = strings(entryAt(p.at.pointer)?.scopes);
    return scopes && scopes.length > 0 ? { ...p, scopes } : p;
  });
  const used = new Set([tools, resources, resourceTemplates, prompts].flatMap((list) => list.flatMap((e) => e.scopes ?? [])));
  const auth = lowerAuth(ctx, used);
  if (!auth) {
    const first = [...tools, ...resources, ...resourceTemplates, ...prompts].find((e) => e.scopes || ('fromAuth' in e && e.fromAuth));
    if (first) ctx.warn('MCPGEN_AUTH', 'scopes: and fromAuth: take effect only with a top-level auth: (without it every caller is trusted and claim-filled arguments stay empty)', first.at.pointer);
  }
  return { ...artifact, tools, resources, resourceTemplates, prompts, ...(auth ? { auth } : {}) };
}

function lowerAuth(ctx: LowerContext, used: Set<string>): AuthIR | undefined {
  const value = obj(obj(ctx.manifest.value).auth);
  const raw = obj(obj(ctx.manifest.raw).auth);
  if (Object.keys(value).length === 0) return undefined;
  const rawKeys = (raw.apiKeys ?? []) as unknown[];
  const names = new Map<string, number>();
  const apiKeys: ApiKeyIR[] = ((value.apiKeys ?? []) as unknown[]).map((k, i) => {
    const key = obj(k);
    const name = String(key.name);
    if (names.has(name)) ctx.error('MCPGEN_AUTH', `duplicate API key name "${name}" (first at /auth/apiKeys/${names.get(name)})`, `/auth/apiKeys/${i}/name`);
    names.set(name, i);
    const written = String(obj(rawKeys[i]).key ?? '');
    const scopes = strings(key.scopes) ?? [];
    for (const s of scopes) used.add(s);
    // A reference stays a reference (resolved at start); a key written out is stored as its hash only.
    const secret = hasEnvReference(written) ? { key: written } : { sha256: createHash('sha256').update(written).digest('hex') };
    return { name, ...secret, scopes, ...(key.claims ? { claims: obj(key.claims) } : {}) };
  });
  const o = obj(value.oauth);
  const oauth: OAuthIR | undefined = value.oauth
    ? {
        issuer: String(o.issuer),
        audience: String(o.audience),
        ...(typeof o.jwksUri === 'string' ? { jwksUri: o.jwksUri } : {}),
        ...(Array.isArray(o.keys) ? { keys: o.keys.map(publicJwk(ctx)) } : {}),
        algorithms: strings(o.algorithms) ?? ['RS256', 'ES256'],
        clockToleranceSeconds: typeof o.clockToleranceSeconds === 'number' ? o.clockToleranceSeconds : 30
      }
    : undefined;
  const stdio = obj(value.stdio);
  if (typeof stdio.apiKeyEnv === 'string' && apiKeys.length === 0) {
    ctx.error('MCPGEN_AUTH', 'auth.stdio.apiKeyEnv needs auth.apiKeys: the key in the environment must be one of them', '/auth/stdio/apiKeyEnv');
  }
  return {
    apiKeys,
    ...(oauth ? { oauth } : {}),
    ...(typeof stdio.apiKeyEnv === 'string' ? { stdio: { apiKeyEnv: stdio.apiKeyEnv } } : {}),
    scopes: [...used].sort()
  };
}

/** Only public key material belongs in the artifact: a private or symmetric key in `keys:` is refused. */
function publicJwk(ctx: LowerContext) {
  return (k: unknown, i: number): Obj => {
    const jwk = obj(k);
    if (jwk.kty === 'oct' || 'd' in jwk || 'k' in jwk) {
      ctx.error('MCPGEN_AUTH', `auth.oauth.keys[${i}] is a private or symmetric key: give the issuer's public keys only`, `/auth/oauth/keys/${i}`);
    }
    return jwk;
  };
}

/**
 * Claim-filled arguments: from `fromAuth:` on input properties, the tool's `fromAuth:` map and its OpenAPI
 * source's map. They leave the tool's public input schema (the model never sees or sets them); the validator
 * still checks the injected values.
 */
function withFromAuth(tool: ToolIR, entry: Obj | undefined, sources: Obj, ctx: LowerContext): ToolIR {
  const schema = obj(tool.descriptor.inputSchema);
  const properties = obj(schema.properties);
  const fromAuth: Record<string, string> = {};
  const source = 'source' in tool.exec ? obj(sources[tool.exec.source]) : {};
  if (tool.exec.kind === 'openapi' && 'meta' in tool.exec) {
    if (Object.keys(obj(source.fromAuth)).length > 0) {
      ctx.error('MCPGEN_AUTH', `fromAuth: is not supported on a mode: dynamic source (its operations are called through ${tool.name})`, `/sources/${tool.exec.source}/fromAuth`);
    }
    return tool;
  }
  for (const [argument, path] of Object.entries(obj(source.fromAuth))) if (argument in properties) fromAuth[argument] = String(path);
  for (const [argument, prop] of Object.entries(obj(obj(entry?.input).properties))) {
    if (typeof obj(prop).fromAuth === 'string') fromAuth[argument] = String(obj(prop).fromAuth);
  }
  for (const [argument, path] of Object.entries(obj(entry?.fromAuth))) {
    if (argument in properties) fromAuth[argument] = String(path);
    else ctx.error('MCPGEN_AUTH', `fromAuth names "${argument}", which is not an argument of tool "${tool.name}" (arguments: ${Object.keys(properties).join(', ') || 'none'})`, `${tool.at.pointer}/fromAuth/${argument}`);
  }
  const filled = Object.keys(fromAuth);
  if (filled.length === 0) return tool;
  const visible = Object.fromEntries(Object.entries(properties).filter(([k]) => !filled.includes(k)));
  const required = Array.isArray(schema.required) ? schema.required.filter((r) => !filled.includes(String(r))) : undefined;
  const { required: _all, ...others } = schema;
  const inputSchema = { ...others, properties: visible, ...(required && required.length > 0 ? { required } : {}) };
  const paramHeaders = tool.paramHeaders?.filter((h) => !filled.includes(h.argument));
  const { paramHeaders: _old, ...rest } = tool;
  return { ...rest, descriptor: { ...tool.descriptor, inputSchema }, ...(paramHeaders && paramHeaders.length > 0 ? { paramHeaders } : {}), fromAuth };
}
