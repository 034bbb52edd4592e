import type { OperationEntryIR } from './ir.js';

/**
 * The catalogue search of a `mode: dynamic` source: a model writes a task ("add a comment to an issue"), not
 * the API's words ("issues/create-comment"). Words are matched whole after light normalisation (plurals,
 * a few verbs and nouns APIs name differently), ranked by how rare each matched word is and where it is found,
 * so an operation need not contain every word of the query.
 */

/** Words that say nothing about which operation is meant. */
const STOP_WORDS = new Set(
  'a an the to of on in for by with from at and or is are be it its this that my me i all into as your our their via using'.split(' ')
);

/** Words APIs use interchangeably, each mapped to one spelling (after plurals are removed). */
const SAME_WORD: Readonly<Record<string, string>> = {
  add: 'create',
  new: 'create',
  make: 'create',
  remove: 'delete',
  erase: 'delete',
  fetch: 'get',
  retrieve: 'get',
  show: 'get',
  read: 'get',
  view: 'get',
  edit: 'update',
  modify: 'update',
  change: 'update',
  find: 'search',
  repository: 'repo',
  organization: 'org',
  organisation: 'org',
  pr: 'pull',
  description: 'describe'
};

/** Field weights: a word in the operation's name says more than one in its description. */
const WEIGHTS = { name: 4, tags: 3, path: 2, title: 2, description: 1 } as const;
type Field = keyof typeof WEIGHTS;

/** Queries longer than this many words are cut: a search is a few words, not a document. */
const MAX_QUERY_WORDS = 32;

function singular(word: string): string {
  if (word.length <= 3 || /(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|x)es$/.test(word)) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** Text → normalised words: camelCase and any non-alphanumeric split words, stop words dropped. */
export function searchWords(text: string): string[] {
  const out: string[] = [];
  for (const raw of text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)) {
    if (raw.length === 0 || STOP_WORDS.has(raw)) continue;
    const word = singular(raw);
    out.push(SAME_WORD[word] ?? SAME_WORD[raw] ?? word);
  }
  return out;
}

interface Indexed {
  readonly entry: OperationEntryIR;
  readonly order: number;
  readonly fields: Readonly<Record<Field, ReadonlySet<string>>>;
  /** The distinct words of the operation's name: how much of it the query covers breaks ties. */
  readonly nameWords: ReadonlySet<string>;
}

export interface SearchIndex {
  readonly items: readonly Indexed[];
  /** Inverse document frequency of each word: rare words tell operations apart. */
  readonly idf: ReadonlyMap<string, number>;
}

export function searchIndex(entries: readonly OperationEntryIR[]): SearchIndex {
  const items = entries.map((entry, order): Indexed => {
    const d = entry.descriptor;
    const name = new Set(searchWords(entry.name));
    const fields = {
      name,
      tags: new Set(searchWords(entry.tags.join(' '))),
      path: new Set(searchWords(entry.path)),
      title: new Set(searchWords(String(d.title ?? ''))),
      description: new Set(searchWords(String(d.description ?? '')))
    };
    return { entry, order, fields, nameWords: name };
  });
  const counts = new Map<string, number>();
  for (const item of items) {
    const words = new Set(Object.values(item.fields).flatMap((s) => [...s]));
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const idf = new Map([...counts].map(([w, n]) => [w, Math.log(1 + items.length / n)] as const));
  return { items, idf };
}

/**
 * The best `limit` operations for the query, best first; none when no word of it is found anywhere. A query
 * with no usable word (empty, or only stop words) browses the catalogue in document order.
 */
export function search(index: SearchIndex, query: string, limit: number): OperationEntryIR[] {
  const words = [...new Set(searchWords(query.slice(0, 4096)).slice(0, MAX_QUERY_WORDS))];
  if (words.length === 0) return index.items.slice(0, limit).map((i) => i.entry);
  const terms = words.filter((t) => index.idf.has(t));
  const scored: { entry: OperationEntryIR; score: number; order: number }[] = [];
  for (const item of index.items) {
    let score = 0;
    let named = 0;
    for (const term of terms) {
      let weight = 0;
      for (const field of Object.keys(WEIGHTS) as Field[]) if (item.fields[field].has(term)) weight = Math.max(weight, WEIGHTS[field]);
      score += weight * index.idf.get(term)!;
      if (item.nameWords.has(term)) named++;
    }
    if (score === 0) continue;
    // Of two operations the query matches alike, the one whose name it covers more is what it asks for.
    scored.push({ entry: item.entry, score: score + (named / Math.max(1, item.nameWords.size)) * 2, order: item.order });
  }
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.entry);
}
