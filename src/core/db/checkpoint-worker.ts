// The checkpoint worker: copies committed WAL frames into the database file on its own
// connection and thread, so the fsyncs a checkpoint needs never stall the thread that serves.
// synchronous=NORMAL on this connection makes SQLite sync the WAL before copying frames and
// the database before the WAL may be restarted, whatever the serving connection does.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

/** `generation`: the WAL header's second salt, which SQLite draws anew each time the WAL starts over. */
export type CheckpointReply = { ok: true; busy: number; log: number; checkpointed: number; generation: number } | { ok: false; message: string };

function open(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = NORMAL');
  return db;
}

if (parentPort) {
  const port = parentPort;
  const { file } = workerData as { file: string };
  // Opened by the first checkpoint, so a failure to open is that checkpoint's answer.
  let db: BetterSqlite3.Database | undefined;
  let walFd: number | undefined;
  const header = Buffer.alloc(24);
  const walGeneration = () => {
    walFd ??= fs.openSync(`${file}-wal`, 'r');
    return fs.readSync(walFd, header, 0, 24, 0) === 24 ? header.readUInt32BE(20) : 0;
  };
  port.on('message', (message: 'checkpoint' | 'close') => {
    if (message === 'close') {
      db?.close();
      if (walFd !== undefined) fs.closeSync(walFd);
      port.close();
      return;
    }
    let reply: CheckpointReply;
    try {
      db ??= open(file);
      // PASSIVE never waits for other connections: it copies what no reader still needs.
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      reply = { ok: true, ...result!, generation: walGeneration() };
    } catch (error) {
      reply = { ok: false, message: (error as Error).message };
    }
    port.postMessage(reply);
  });
}
