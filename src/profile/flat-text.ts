/**
 * The same text as one flat run of characters.
 *
 * V8 keeps a string built by concatenation as a tree of its pieces until something reads
 * it whole: `crypto.randomUUID()` returns such a tree (~490 bytes of heap instead of
 * ~70), and so does a template literal like `${system}:${id}`. Profiles keep their ids
 * and identifiers for as long as they live, so the graph stores flat copies. NFC
 * normalization returns a flat string; text it would change (not in NFC) is kept as it
 * is, so the characters never change. V8 builds text shorter than 13 characters flat in
 * the first place (`ConsString::kMinLength`), so short text is returned at once: user
 * ids, anonymous ids and customer numbers are mostly that short, and the call costs more
 * than the lookup it prepares.
 *
 * @internal
 */
export function flatText(text: string): string {
  if (text.length < consMinLength) return text;
  const flat = text.normalize();
  return flat === text ? flat : text;
}

const consMinLength = 13;
