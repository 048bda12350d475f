import { createHash, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import {
  type ArchiveScope,
  type ArchiveSource,
  archiveHeader,
  signatureLine,
  writeArchiveBody,
} from './archive-export.ts';
import type { ArchiveCounts } from './archive-format.ts';
import { archiveLine } from './archive-format.ts';

/**
 * The lines of a file, exact bytes (decoded as UTF-8) without their `\n`, read as a stream: a `\r` stays
 * in its line, so what is hashed is what is on disk. An empty last piece (the final newline) is no line.
 */
export async function* fileLines(file: string): AsyncIterable<string> {
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    let buffer = Buffer.concat([rest, chunk as Buffer]);
    for (let at = buffer.indexOf(0x0a); at >= 0; at = buffer.indexOf(0x0a)) {
      yield buffer.subarray(0, at).toString('utf8');
      buffer = buffer.subarray(at + 1);
    }
    rest = buffer;
  }
  if (rest.length > 0) yield rest.toString('utf8');
}

/** Writes to a stream, waiting when its buffer is full: memory stays bounded whatever the year's size. */
const writer = (stream: WriteStream) => async (text: string) => {
  if (!stream.write(text)) await once(stream, 'drain');
};

const close = async (stream: WriteStream) => {
  stream.end();
  await once(stream, 'finish');
};

export interface ExportResult {
  file: string;
  sha256: string;
  bytes: number;
  counts: ArchiveCounts;
}

/**
 * Exports a year to `file`: the body streamed to `<file>.part` first (the header counts what follows),
 * then header + body + signature streamed into `<file>.tmp`, hashed as written, and renamed to `file`
 * when complete, so a file under the final name is always whole and signed.
 */
export const exportArchiveFile = async (
  source: ArchiveSource,
  scope: ArchiveScope,
  options: {
    file: string;
    privateKey: KeyObject;
    now: Date;
    progress?: (counts: ArchiveCounts, allocationsInYear: number) => void;
  },
): Promise<ExportResult> => {
  const part = `${options.file}.part`;
  const tmp = `${options.file}.tmp`;
  try {
    const bodyStream = createWriteStream(part, { flags: 'w' });
    const body = await writeArchiveBody(source, scope, options.now, writer(bodyStream), options.progress);
    await close(bodyStream);

    const hash = createHash('sha256');
    const out = createWriteStream(tmp, { flags: 'w' });
    const write = writer(out);
    const header = archiveLine(archiveHeader(scope, options.now, body));
    hash.update(header);
    await write(header);
    for await (const chunk of createReadStream(part)) {
      hash.update(chunk as Buffer);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    const sha256 = hash.digest('hex');
    await write(archiveLine(signatureLine(sha256, options.privateKey)));
    await close(out);
    renameSync(tmp, options.file);
    return { file: options.file, sha256, bytes: statSync(options.file).size, counts: body.counts };
  } finally {
    rmSync(part, { force: true });
    rmSync(tmp, { force: true });
  }
};
