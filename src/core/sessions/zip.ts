// Reading one file out of a ZIP export with yauzl, as a stream.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipEntryInfo {
  name: string;
  size: number;
}

const openZip = (file: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip))));

/** Names and sizes of the files in the archive. */
export async function listZip(file: string): Promise<ZipEntryInfo[]> {
  const zip = await openZip(file);
  try {
    return await new Promise<ZipEntryInfo[]>((resolve, reject) => {
      const entries: ZipEntryInfo[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** A stream of one entry's uncompressed bytes; the archive closes when the stream ends. */
export async function openZipEntry(file: string, name: string): Promise<Readable> {
  const zip = await openZip(file);
  return new Promise<Readable>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error) {
          zip.close();
          return reject(error);
        }
        stream.on('close', () => zip.close());
        resolve(stream);
      });
    });
    zip.on('end', () => {
      zip.close();
      reject(new Error(`${name} is not in the archive`));
    });
    zip.on('error', reject);
    zip.readEntry();
  });
}
