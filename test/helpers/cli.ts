// Runs the BUILT `paylens` binary (npm run build makes out/main/cli.js), as a user would.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'bin', 'paylens.js');

export function assertBuilt() {
  if (!fs.existsSync(path.join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('The CLI is not built: run `npm run build` (npm test does) before these tests');
}

export interface CliResult {
  status: number | null;
  error?: string;
  stdout: string;
  stderr: string;
}

/** Runs `paylens …args` to completion with the data folder set through PAYLENS_DATA_DIR. */
export function paylens(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PAYLENS_DATA_DIR: dataDir, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error?.message ?? (result.signal ? `killed by ${result.signal}` : undefined) };
}

/** `paylens …args --json` that must succeed: its stdout parsed, or an error carrying stderr. */
export function paylensJson<T = unknown>(dataDir: string, args: string[]): T {
  const result = paylens(dataDir, [...args, '--json']);
  if (result.status !== 0 || !result.stdout.trim())
    throw new Error(`paylens ${args.join(' ')} exited ${result.status} (${result.error ?? 'no error'}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** A long-running `paylens …` (serve, deliveries --follow): collects output, resolves lines as they come. */
export function spawnPaylens(dataDir: string, args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, PAYLENS_DATA_DIR: dataDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    /** Waits until stdout matches `pattern` (or fails after `ms`). */
    async waitFor(pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
      const started = Date.now();
      for (;;) {
        const match = stdout.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`paylens ${args.join(' ')} exited ${child.exitCode}: ${stderr}`);
        if (Date.now() - started > ms) throw new Error(`Timed out waiting for ${pattern} in:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
