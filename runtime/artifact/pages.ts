/** Splits a list into pages of `size` and serialises each one (`nextCursor` is the next page's index). */
export function paginate(key: string, items: readonly unknown[], size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start === 0 || start < items.length; start += size) {
    const page = items.slice(start, start + size);
    const next = start + size < items.length ? { nextCursor: String(out.length + 1) } : {};
    out.push(JSON.stringify({ [key]: page, ...next }));
  }
  return out;
}
