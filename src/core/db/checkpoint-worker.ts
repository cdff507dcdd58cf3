// The checkpoint worker: copies committed WAL frames into the database file on its own
// connection and thread, so the fsyncs a checkpoint needs never stall the thread that serves.
// synchronous=NORMAL on this connection makes SQLite sync the WAL before copying frames and
// the database before the WAL may be restarted, whatever the serving connection does.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

export type CheckpointReply = { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; message: string };

function open(): BetterSqlite3.Database {
  const db = new BetterSqlite3((workerData as { file: string }).file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = NORMAL');
  return db;
}

if (parentPort) {
  const port = parentPort;
  // Opened by the first checkpoint, so a failure to open is that checkpoint's answer.
  let db: BetterSqlite3.Database | undefined;
  port.on('message', (message: 'checkpoint' | 'close') => {
    if (message === 'close') {
      db?.close();
      port.close();
      return;
    }
    let reply: CheckpointReply;
    try {
      db ??= open();
      // PASSIVE never waits for other connections: it copies what no reader still needs.
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      reply = { ok: true, ...result! };
    } catch (error) {
      reply = { ok: false, message: (error as Error).message };
    }
    port.postMessage(reply);
  });
}
