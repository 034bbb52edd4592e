#!/usr/bin/env node
/**
 * A tiny offline stand-in for the Swagger Petstore (https://petstore3.swagger.io): the pet endpoints of
 * ../../specs/petstore.yaml over JSON, with in-memory data, so the demo and its tests need no internet.
 * node:http only. Listens on 127.0.0.1:4010 (PORT=0 picks a free port) and prints its base URL.
 *
 * Every pet operation needs the `api_key` header to equal PETSTORE_API_KEY (default `special-key`, the
 * public Petstore's demo key), as the spec's security requirements say; store and user answer 501.
 */
import { createServer } from 'node:http';

const BASE = '/api/v3';
const KEY = process.env.PETSTORE_API_KEY || 'special-key';
const STATUSES = ['available', 'pending', 'sold'];

/** Seed data, in the Petstore's own shape (name and photoUrls are required by its Pet schema). */
const pets = new Map(
  [
    { id: 1, name: 'Rex', category: { id: 1, name: 'Dogs' }, photoUrls: [], tags: [{ id: 1, name: 'friendly' }], status: 'available' },
    { id: 2, name: 'Tom', category: { id: 2, name: 'Cats' }, photoUrls: [], tags: [{ id: 2, name: 'lazy' }], status: 'available' },
    { id: 3, name: 'Nemo', category: { id: 3, name: 'Fish' }, photoUrls: [], tags: [], status: 'pending' },
    { id: 4, name: 'Polly', category: { id: 4, name: 'Birds' }, photoUrls: [], tags: [{ id: 1, name: 'friendly' }], status: 'sold' }
  ].map((p) => [p.id, p])
);
let nextId = 100;

/** Errors use the spec's ApiResponse shape, so a client sees the same body whichever status it gets. */
function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
const fail = (res, status, message) => send(res, status, { code: status, type: 'error', message });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A pet from a JSON body, checked against the parts of the Pet schema the store relies on. */
function petFrom(bytes) {
  let pet;
  try {
    pet = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!pet || typeof pet !== 'object' || typeof pet.name !== 'string' || !Array.isArray(pet.photoUrls)) return undefined;
  if (pet.status !== undefined && !STATUSES.includes(pet.status)) return undefined;
  return pet;
}

/** Path segments after the base, e.g. ['pet', '7', 'uploadImage']; undefined outside the base. */
function route(url) {
  if (url.pathname !== BASE && !url.pathname.startsWith(`${BASE}/`)) return undefined;
  return url.pathname.slice(BASE.length).split('/').filter(Boolean).map(decodeURIComponent);
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const parts = route(url);
  if (parts?.[0] !== 'pet') {
    if (parts?.[0] === 'store' || parts?.[0] === 'user') return fail(res, 501, 'store and user are not implemented in this demo');
    return fail(res, 404, `no route for ${req.method} ${url.pathname}`);
  }
  // Every pet operation requires api_key (or OAuth2, which this demo does not have).
  if (req.headers.api_key !== KEY) return fail(res, 401, 'missing or wrong api_key header');
  const [, second, third] = parts;
  const method = req.method;

  if (parts.length === 1 && (method === 'POST' || method === 'PUT')) {
    const pet = petFrom(await readBody(req));
    if (!pet) return fail(res, 400, 'Invalid input: a Pet needs a name and photoUrls');
    if (method === 'PUT') {
      if (!pets.has(pet.id)) return fail(res, 404, 'Pet not found');
    } else if (pet.id === undefined || pets.has(pet.id)) {
      pet.id = nextId++;
    }
    pets.set(pet.id, pet);
    return send(res, 200, pet);
  }
  if (parts.length === 2 && second === 'findByStatus' && method === 'GET') {
    // Both `status=a&status=b` (explode, as the spec says) and `status=a,b` (the description's wording).
    const wanted = url.searchParams.getAll('status').flatMap((s) => s.split(','));
    const statuses = wanted.length > 0 ? wanted : ['available'];
    if (statuses.some((s) => !STATUSES.includes(s))) return fail(res, 400, 'Invalid status value');
    return send(
      res,
      200,
      [...pets.values()].filter((p) => statuses.includes(p.status))
    );
  }
  if (parts.length === 2 && second === 'findByTags' && method === 'GET') {
    const tags = url.searchParams.getAll('tags').flatMap((s) => s.split(','));
    return send(
      res,
      200,
      [...pets.values()].filter((p) => (p.tags ?? []).some((t) => tags.includes(t.name)))
    );
  }
  const id = Number(second);
  if (!Number.isInteger(id)) return fail(res, 400, 'Invalid ID supplied');
  const pet = pets.get(id);
  if (parts.length === 2 && method === 'GET') return pet ? send(res, 200, pet) : fail(res, 404, 'Pet not found');
  if (parts.length === 2 && method === 'POST') {
    if (!pet) return fail(res, 404, 'Pet not found');
    const status = url.searchParams.get('status');
    if (status !== null && !STATUSES.includes(status)) return fail(res, 400, 'Invalid input');
    if (url.searchParams.has('name')) pet.name = url.searchParams.get('name');
    if (status !== null) pet.status = status;
    return send(res, 200, pet);
  }
  if (parts.length === 2 && method === 'DELETE') {
    if (!pet) return fail(res, 400, 'Invalid pet value');
    pets.delete(id);
    return send(res, 200, { code: 200, type: 'unknown', message: 'Pet deleted' });
  }
  if (parts.length === 3 && third === 'uploadImage' && method === 'POST') {
    if (!pet) return fail(res, 404, 'Pet not found');
    const bytes = await readBody(req);
    const meta = url.searchParams.get('additionalMetadata');
    pet.photoUrls.push(`/photos/${id}-${pet.photoUrls.length + 1}`);
    return send(res, 200, {
      code: 200,
      type: 'unknown',
      message: `${meta ? `additionalMetadata: ${meta}\n` : ''}File uploaded, ${bytes.length} bytes`
    });
  }
  return fail(res, 405, `${method} is not allowed on ${url.pathname}`);
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => fail(res, 500, String(e?.message ?? e)));
});

const port = process.env.PORT === undefined ? 4010 : Number(process.env.PORT);
server.listen(port, '127.0.0.1', () => {
  // start.mjs and the tests read this line to learn the port (PORT=0 picks a free one).
  process.stdout.write(`petstore upstream listening on http://127.0.0.1:${server.address().port}${BASE}\n`);
});

// Stop at once on Ctrl+C or when start.mjs stops us: kept-alive client connections must not hold the exit.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
