import { type DigestMember, decodeMember } from './integrity-digest.ts';

/**
 * How the integrity digest keeps a large group in items of bounded size (issue 20, province scale: a
 * contractor paid thousands of times a year outgrew DynamoDB's 400 KB item). A group is an open chunk
 * and sealed chunks; each chunk holds at most `members` members and `members × MEMBER_BYTES` bytes of
 * them. Pure: the DynamoDB adapter (monitoring/adapters/integrity-digest-repository.ts) decides with
 * these what to write.
 */

/**
 * A member (`<id>|<createdAt>|<amount>|<line>|<investor>`) longer than this, in UTF-8 bytes, is long:
 * 71 bytes are the fields after the id at their longest, so an id of up to 185 bytes is short. Request
 * ids are UUIDs (36); a long one only ever enters a chunk through a read that counts bytes.
 */
export const MEMBER_BYTES = 256;

/** How large a chunk may grow: members, and bytes of members (`members × MEMBER_BYTES`). */
export interface ChunkBound {
  members: number;
  bytes: number;
}

export const chunkBound = (members: number): ChunkBound => ({ members, bytes: members * MEMBER_BYTES });

/** A member's size as DynamoDB counts a string set's element: UTF-8 bytes. */
export const memberBytes = (encoded: string): number => Buffer.byteLength(encoded, 'utf8');

export const isLongMember = (encoded: string): boolean => memberBytes(encoded) > MEMBER_BYTES;

/** Encoded members as the rules read them: decoded, each request once (its first encoding kept). */
export const distinctMembers = (encoded: Iterable<string>): DigestMember[] => {
  const byId = new Map<string, DigestMember>();
  for (const e of encoded) {
    const m = decodeMember(e);
    if (!byId.has(m.id)) byId.set(m.id, m);
  }
  return [...byId.values()];
};

/** The id of an encoded member (what it is told apart by). */
export const memberId = (encoded: string): string => {
  const bar = encoded.indexOf('|');
  return bar < 0 ? encoded : encoded.slice(0, bar);
};

/**
 * Cuts members, in order, into consecutive chunks within the bound: each takes members while it has
 * room for the next (at least one, so a member larger than the bound sits alone).
 */
export const cutIntoChunks = (encoded: readonly string[], bound: ChunkBound): string[][] => {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const m of encoded) {
    const size = memberBytes(m);
    if (current.length > 0 && (current.length >= bound.members || bytes + size > bound.bytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/** What one write of a group does: chunks to seal (numbered after the sealed ones), the open chunk after. */
export interface ChunkPlan {
  sealing: string[][];
  open: string[];
  /** Members left for the next write (more than one write seals at most). */
  left: string[];
}

/**
 * The next write of a group whose open chunk holds `open` and which lacks `fresh`: the open members
 * then the fresh ones, cut within the bound; every chunk but the last sealed, the last left open, at
 * most `maxSeals` sealed (the members after the open chunk, fresh ones only, left for a next write).
 * An open chunk of more than `maxSeals` + 1 chunks (a head written before chunks) is split in turns:
 * `maxSeals` chunks of it sealed, the rest of it left open, nothing added yet.
 */
export const planChunks = (
  open: readonly string[],
  fresh: readonly string[],
  bound: ChunkBound,
  maxSeals: number,
): ChunkPlan => {
  const ofOpen = cutIntoChunks(open, bound);
  if (ofOpen.length - 1 > maxSeals) {
    return { sealing: ofOpen.slice(0, maxSeals), open: ofOpen.slice(maxSeals).flat(), left: [...fresh] };
  }
  // The open members fill the first chunks (the cut is greedy), so sealing at least
  // `ofOpen.length - 1` of them and keeping the next open keeps every one.
  const chunks = cutIntoChunks([...open, ...fresh], bound);
  const sealed = Math.min(chunks.length - 1, maxSeals);
  return {
    sealing: chunks.slice(0, sealed),
    open: chunks[sealed] ?? [],
    left: chunks.slice(sealed + 1).flat(),
  };
};
