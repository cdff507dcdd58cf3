import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createEngine, type Engine } from '../core/engine';
import { resolveDataDir } from '../core/config/data-dir';
import { UserError } from '../core/errors';
import { describeIssues } from '../core/api/handlers';
import { api, type ApiMethod, type ApiParsedInput } from '../shared/api/index';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stdout is a terminal (progress bars, colours, tables). */
  isTty: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: Io): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;
export const commonOptions = { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const satisfies Options;

/** node:util parseArgs with our common flags, turning its errors into one clear line. */
export function parse<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options: { ...commonOptions, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new UserError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Opens the engine on the data folder named by --data-dir or PAYLENS_DATA_DIR, runs `fn`, closes. */
export async function withEngine<T>(dataDirFlag: string | undefined, fn: (engine: Engine) => Promise<T> | T): Promise<T> {
  const engine = await createEngine({ dataDir: resolveDataDir(dataDirFlag) });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export function parseIntFlag(value: string | undefined, flag: string, fallback: number, min = 0, max = 65535): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Checks flags gathered into an API input against the method's schema: one clear line on error. */
export function validated<M extends ApiMethod>(method: M, input: unknown): ApiParsedInput<M> {
  const parsed = api[method].input.safeParse(input);
  if (!parsed.success) throw new UserError(describeIssues(parsed.error));
  return parsed.data as ApiParsedInput<M>;
}
