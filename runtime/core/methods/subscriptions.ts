import { META } from '../../sdk.js';
import { RpcError } from '../errors.js';
import { listChangedMethod, type ListName } from '../listeners.js';
import type { CoreServices, MethodHandler } from '../services.js';
import { notFound } from './resources.js';
import { permits } from '../access.js';
import { matchUriTemplate } from '../../uri-template.js';
import type { Principal } from '../context.js';

/**
 * The file behind a URI when its reader watches one (what a subscription watches); false when the URI is unknown.
 * `anyone`: the caller was checked elsewhere (another instance's session, see McpCore.watch).
 */
export async function watchedPath(
  core: CoreServices,
  uri: string,
  principal: Principal | undefined,
  anyone = false
): Promise<string | undefined | false> {
  const direct = core.catalog.resources.get(uri);
  // A resource the caller may not read is, to them, unknown.
  if (direct && !anyone && !permits(principal, direct.ir.scopes)) return false;
  if (direct) return direct.read.watch ? ((await direct.read.watch({})) ?? false) : undefined;
  for (const t of core.catalog.templates) {
    const variables = matchUriTemplate(t.regex, t.ir.variables, uri);
    if (!variables) continue;
    if (!anyone && !permits(principal, t.ir.scopes)) return false;
    return t.read.watch ? ((await t.read.watch(variables)) ?? false) : undefined;
  }
  return false;
}

function uriParam(params: Record<string, unknown>, method: string): string {
  if (typeof params.uri !== 'string') throw new RpcError('invalidParams', `${method} needs params.uri (a string)`);
  return params.uri;
}

/** 2025: resources/subscribe; updates go to the session's standalone stream (HTTP) or stdout (stdio). */
export const subscribe: MethodHandler = async (core, ctx) => {
  const uri = uriParam(ctx.params, 'resources/subscribe');
  const path = await watchedPath(core, uri, ctx.principal);
  if (path === false) throw notFound(uri, ctx);
  if (ctx.legacy?.subscriber) core.subscriptions.subscribe(uri, path, ctx.legacy.subscriber);
  // A shared state store records it, so a change seen by any instance reaches this session.
  await ctx.legacy?.shared?.subscribed(uri, true);
  return { value: {} };
};

export const unsubscribe: MethodHandler = async (core, ctx) => {
  const uri = uriParam(ctx.params, 'resources/unsubscribe');
  const shared = ctx.legacy?.shared;
  // A shared store's subscriber serves every session of the instance: only the session's record changes.
  if (shared) await shared.subscribed(uri, false);
  else if (ctx.legacy?.subscriber) core.subscriptions.unsubscribe(uri, ctx.legacy.subscriber);
  return { value: {} };
};

const listFilter: Record<ListName, 'toolsListChanged' | 'promptsListChanged' | 'resourcesListChanged'> = {
  tools: 'toolsListChanged',
  prompts: 'promptsListChanged',
  resources: 'resourcesListChanged'
};

/**
 * 2026-07-28 subscriptions/listen: the response stream stays open. The first frame acknowledges the filter
 * the server honours; every notification carries the subscription id (the listen request's id). It ends
 * when the client closes the stream (or cancels), or the server shuts down.
 */
export const listen: MethodHandler = async (core, ctx) => {
  const filter = (ctx.params.notifications ?? {}) as Record<string, unknown>;
  const tag = { [META.subscriptionId]: ctx.id };
  const send = (method: string, params: Record<string, unknown>) => ctx.notify(method, { ...params, _meta: tag });
  const honoured: Record<string, unknown> = {};
  const lists = (Object.keys(listFilter) as ListName[]).filter((l) => filter[listFilter[l]] === true && core.listChanged);
  for (const l of lists) honoured[listFilter[l]] = true;
  const uris: string[] = [];
  for (const uri of Array.isArray(filter.resourceSubscriptions) ? filter.resourceSubscriptions : []) {
    if (typeof uri === 'string' && (await watchedPath(core, uri, ctx.principal)) !== false) uris.push(uri);
  }
  if (Array.isArray(filter.resourceSubscriptions)) honoured.resourceSubscriptions = uris;
  send('notifications/subscriptions/acknowledged', { notifications: honoured });

  const subscriber = (uri: string) => send('notifications/resources/updated', { uri });
  for (const uri of uris) core.subscriptions.subscribe(uri, (await watchedPath(core, uri, ctx.principal)) || undefined, subscriber);
  const stopLists = core.listListeners.add((list) => lists.includes(list) && send(listChangedMethod[list], {}));
  await new Promise<void>((done) => {
    if (ctx.signal.aborted) return done();
    ctx.signal.addEventListener('abort', () => done(), { once: true });
    core.closing.then(done, done);
  });
  stopLists();
  core.subscriptions.forget(subscriber);
  return { value: { _meta: tag } };
};
