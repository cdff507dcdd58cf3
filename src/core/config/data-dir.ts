import os from 'node:os';
import path from 'node:path';

/** The OS user-data folder for Paylens, as Electron's `app.getPath('userData')` would place it. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Paylens');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Paylens');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Paylens');
}

/** `--data-dir`, else `PAYLENS_DATA_DIR`, else the OS user-data folder. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.PAYLENS_DATA_DIR;
  return path.resolve(chosen && chosen.length > 0 ? chosen : defaultDataDir(process.platform, env));
}

export const databaseFile = (dataDir: string) => path.join(dataDir, 'paylens.db');
/** Precomputed report tables: derived from the database, safe to delete, rebuilt on demand. */
export const reportCacheFile = (dataDir: string) => path.join(dataDir, 'report-cache.db');
