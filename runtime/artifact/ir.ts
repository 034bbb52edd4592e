/**
 * The artifact contract between generators/ and runtime/: plain data, frozen by the runtime on load.
 * Bump ARTIFACT_FORMAT on any incompatible change; the runtime refuses other formats.
 */
export const ARTIFACT_FORMAT = 1;
export const ARTIFACT_FILE = 'artifact.json';
export const LISTS_FILE = 'lists.json';
export const VALIDATORS_FILE = 'validators.mjs';
export const TEMPLATES_FILE = 'templates.mjs';
export const TYPES_FILE = 'types.d.ts';

/** Where an entry was declared: the manifest (relative to its directory), line, column and JSON pointer. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly pointer: string;
}

export type KindName = 'template' | 'content' | 'handler' | 'file' | 'openapi';

export interface ContentBlockIR {
  readonly type: 'text' | 'image' | 'audio' | 'resource';
  readonly text?: string;
  /** base64 for image, audio and binary embedded resources */
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
}

/** What each kind stores for each entry type; `never` where a kind does not serve that entry type. */
export interface KindExec {
  template: { tool: { template: string }; resource: { template: string }; resourceTemplate: { template: string } };
  content: { tool: { content: readonly ContentBlockIR[] }; resource: { text: string }; resourceTemplate: never };
  handler: { tool: { module: string }; resource: never; resourceTemplate: never };
  file: { tool: never; resource: { path: string }; resourceTemplate: { root: string } };
  openapi: { tool: OpenApiToolExec; resource: never; resourceTemplate: never };
}

/** One OpenAPI parameter and the tool argument that carries it. */
export interface OpenApiParamIR {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly argument: string;
  readonly style?: 'matrix' | 'label' | 'simple' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  readonly contentType?: string;
}

/** An HTTP operation: how a tool call becomes a request. */
export interface OpenApiToolExec {
  readonly source: string;
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly params: readonly OpenApiParamIR[];
  /** `files`: multipart parts sent as bytes (the argument carries them base64-encoded). */
  readonly body?: { readonly argument: string; readonly mediaType: string; readonly files?: readonly string[] };
  /** Alternatives (OR) of scheme names that must all be satisfied (AND); empty: no auth. */
  readonly security: readonly (readonly string[])[];
  /** A server declared on the path or operation (may be relative to the source's base URL). */
  readonly server?: string;
}

/** OAuth2 client credentials; every string may hold `${VAR}` references. */
export interface ClientCredentialsIR {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  readonly tokenUrl?: string;
}

export interface SecuritySchemeIR {
  readonly type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  readonly in?: 'header' | 'query' | 'cookie';
  readonly name?: string;
  readonly scheme?: string;
  /** oauth2: the clientCredentials flow's token endpoint. */
  readonly tokenUrl?: string;
}

/** A source's run-time settings; `baseUrl` and `auth` keep their `${VAR}` references (resolved when used). */
export interface SourceIR {
  readonly kind: 'openapi';
  readonly baseUrl: string;
  readonly auth: Readonly<Record<string, string | ClientCredentialsIR>>;
  readonly schemes: Readonly<Record<string, SecuritySchemeIR>>;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

type ExecOf<T extends 'tool' | 'resource' | 'resourceTemplate'> = {
  [K in KindName]: KindExec[K][T] extends never ? never : { readonly kind: K } & KindExec[K][T];
}[KindName];

export type ToolExec = ExecOf<'tool'>;
export type ResourceExec = ExecOf<'resource'>;
export type ResourceTemplateExec = ExecOf<'resourceTemplate'>;

export interface ToolIR {
  readonly name: string;
  /** The Tool object exactly as tools/list shows it. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  /** Export name of the precompiled argument validator in validators.mjs. */
  readonly validator: string;
  /** Export name of the precompiled validator of structured results (`output:`), if declared. */
  readonly outputValidator?: string;
  readonly exec: ToolExec;
  /** Declarative tools only: every result is a tool error. */
  readonly isError?: boolean;
  /** Asked through elicitation before the tool runs. */
  readonly confirm?: string;
  /** Arguments mirrored into `Mcp-Param-*` HTTP headers (`x-mcp-header`), checked against the body. */
  readonly paramHeaders?: readonly { readonly argument: string; readonly header: string }[];
  readonly at: SourceRef;
}

export interface ResourceIR {
  readonly uri: string;
  readonly name: string;
  readonly mimeType: string;
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly exec: ResourceExec;
  readonly at: SourceRef;
}

export interface UriVariable {
  readonly name: string;
  /** `{+var}` may span `/`; `{var}` may not. */
  readonly multiSegment: boolean;
}

export interface ResourceTemplateIR {
  readonly uriTemplate: string;
  readonly name: string;
  readonly mimeType?: string;
  /** Anchored regular expression matching concrete URIs; groups in `variables` order. */
  readonly pattern: string;
  readonly variables: readonly UriVariable[];
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly exec: ResourceTemplateExec;
  readonly at: SourceRef;
}

export type PromptMessageIR =
  | { readonly role: 'user' | 'assistant'; readonly template: string }
  | {
      readonly role: 'user' | 'assistant';
      readonly content: ContentBlockIR;
      /** Templates (by name) for an embedded resource's `uri` and `text` that use the prompt's arguments. */
      readonly uriTemplate?: string;
      readonly textTemplate?: string;
    };

export interface PromptArgumentIR {
  readonly name: string;
  readonly required: boolean;
  readonly enum?: readonly string[];
}

export interface ElicitationIR {
  readonly key: string;
  readonly message: string;
  readonly requestedSchema: Readonly<Record<string, unknown>>;
}

export interface PromptIR {
  readonly name: string;
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly arguments: readonly PromptArgumentIR[];
  readonly elicit?: readonly ElicitationIR[];
  readonly messages: readonly PromptMessageIR[];
  readonly at: SourceRef;
}

export interface TransportIR {
  readonly type: 'stdio' | 'http';
  readonly host: string;
  readonly port: number | string;
  readonly path: string;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly maxSessions: number;
  readonly sessionIdleSeconds: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface ServerIR {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  readonly instructions?: string;
  readonly pageSize: number;
}

export interface Artifact {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly generator: { readonly name: 'mcp-gen'; readonly version: string };
  /** The manifest's directory relative to the artifact directory; file paths in the IR are relative to it. */
  readonly manifestDir: string;
  readonly server: ServerIR;
  readonly transport: TransportIR;
  readonly sources: Readonly<Record<string, SourceIR>>;
  readonly tools: readonly ToolIR[];
  readonly resources: readonly ResourceIR[];
  readonly resourceTemplates: readonly ResourceTemplateIR[];
  readonly prompts: readonly PromptIR[];
}

/** lists.json: each list method's result pages, each already serialised (without era-specific fields). */
export interface ListPages {
  readonly tools: readonly string[];
  readonly resources: readonly string[];
  readonly resourceTemplates: readonly string[];
  readonly prompts: readonly string[];
}
