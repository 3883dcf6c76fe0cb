// Compact dedupe key: a 53-bit hash of an id (cyrb53), so 64 remembered ids cost ~512 bytes instead
// of 64 full hex ids. It fits a JS number and an Avro long exactly. A collision (~n²/2^54 per
// conversation) could only make the rules skip a record whose effect they would reproduce anyway
// for a true duplicate; for n = 64 it is below 1e-12.
export function idKey(id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i += 1) {
    const ch = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
