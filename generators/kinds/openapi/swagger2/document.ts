import { extensions, isObj, obj, type Obj } from './context.js';

/**
 * host, basePath and schemes → one server per scheme, in the document's order. Without `schemes`, https (2.0 says
 * "the scheme used to reach the document", which a file does not have); without `host`, a relative server that
 * the source's baseUrl resolves.
 */
export function serversOf(doc: Obj): Obj[] | undefined {
  const basePath = typeof doc.basePath === 'string' ? doc.basePath.replace(/\/+$/, '') : '';
  if (typeof doc.host !== 'string' || doc.host === '') return basePath === '' ? undefined : [{ url: basePath }];
  // ws and wss are no use for HTTP calls; a document that lists only those still gets its servers (and the warning).
  const listed = Array.isArray(doc.schemes) ? doc.schemes.map(String) : [];
  const http = listed.filter((s) => /^https?$/i.test(s));
  const schemes = http.length > 0 ? http : listed.length > 0 ? listed : ['https'];
  return schemes.map((scheme) => ({ url: `${scheme}://${doc.host as string}${basePath}` }));
}

const OAUTH_FLOWS: Readonly<Record<string, string>> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode'
};

/** securityDefinitions → securitySchemes: basic becomes http basic, oauth2's one flow gets its 3.0 name. */
export function securitySchemesOf(definitions: unknown): Obj | undefined {
  if (!isObj(definitions)) return undefined;
  const out: Obj = {};
  for (const [name, value] of Object.entries(definitions)) {
    const d = obj(value);
    const common = { ...(typeof d.description === 'string' ? { description: d.description } : {}), ...extensions(d) };
    if (d.type === 'basic') out[name] = { type: 'http', scheme: 'basic', ...common };
    else if (d.type === 'apiKey') out[name] = { type: 'apiKey', name: d.name, in: d.in, ...common };
    else if (d.type === 'oauth2') {
      const flow: Obj = { scopes: isObj(d.scopes) ? d.scopes : {} };
      if (typeof d.authorizationUrl === 'string' && ['implicit', 'accessCode'].includes(String(d.flow)))
        flow.authorizationUrl = d.authorizationUrl;
      if (typeof d.tokenUrl === 'string' && d.flow !== 'implicit') flow.tokenUrl = d.tokenUrl;
      out[name] = { type: 'oauth2', flows: { [OAUTH_FLOWS[String(d.flow)] ?? String(d.flow)]: flow }, ...common };
    } else out[name] = { ...d };
  }
  return out;
}
