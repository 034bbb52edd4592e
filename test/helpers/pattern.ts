/** One regular expression from several literals, in order (flags from the first): long patterns stay within the line width. */
export function joined(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((p) => p.source).join(''), parts[0]?.flags ?? '');
}
