/** The OpenAPI kind's IR: HTTP operations, dynamic-mode meta-tools and its API sources. */

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

/** A `mode: dynamic` source's meta-tool: search its operations, describe one, or call one. */
export interface OpenApiMetaExec {
  readonly source: string;
  readonly meta: 'search' | 'describe' | 'call';
  /** A toolset's trio: only these operations of the source's catalogue (by name); absent: all of them. */
  readonly operations?: readonly string[];
}

/** One operation of a `mode: dynamic` source: a tool that is not listed, reached through the meta-tools. */
export interface OperationEntryIR {
  readonly name: string;
  /** The Tool object describe_operation shows. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly validator: string;
  readonly outputValidator?: string;
  /** As a tool's: undeclared arguments are refused. */
  readonly refuseUndeclared?: true;
  readonly exec: OpenApiToolExec;
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
}

/** OAuth2 client credentials; every string may hold `${VAR}` references. */
export interface ClientCredentialsIR {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  readonly tokenUrl?: string;
}

/** `auth: { scheme: { tokenExchange: … } }`: the caller's access token exchanged for the upstream's (RFC 8693). */
export interface TokenExchangeIR {
  readonly tokenExchange: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly tokenUrl?: string;
    readonly audience?: string;
    readonly resource?: string;
    readonly scopes?: readonly string[];
  };
}

/** A forwarded header of the client's request: its name, or its name and the upstream's. */
export type ForwardedHeaderIR = string | { readonly from: string; readonly to: string };

export interface SecuritySchemeIR {
  readonly type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  readonly in?: 'header' | 'query' | 'cookie';
  readonly name?: string;
  readonly scheme?: string;
  /** oauth2: the clientCredentials flow's token endpoint. */
  readonly tokenUrl?: string;
}

/** An HTTP API; `baseUrl` and `auth` keep their `${VAR}` references (resolved when used). */
export interface OpenApiSourceIR {
  readonly kind: 'openapi';
  readonly baseUrl: string;
  readonly auth: Readonly<Record<string, string | ClientCredentialsIR | TokenExchangeIR>>;
  readonly schemes: Readonly<Record<string, SecuritySchemeIR>>;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Headers of the MCP request copied to upstream requests (lower-case; never authorization or cookie). */
  readonly forwardHeaders?: readonly ForwardedHeaderIR[];
  /** `mode: dynamic`: the operations, served through three meta-tools instead of one tool each. */
  readonly operations?: readonly OperationEntryIR[];
}
