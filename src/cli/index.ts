// The `paylens` command line. Errors are one clear line and a non-zero exit.
import { NotFoundError, UserError } from '../core/errors';
import type { Io } from './command';
import { commands } from './commands/index';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: paylens <command> [options]   (every command takes --data-dir D or PAYLENS_DATA_DIR)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'paylens <command> --help shows its options.',
  ].join('\n');
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(help());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`paylens: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof NotFoundError) io.err(`paylens ${name}: ${error.message}`);
    else if (error instanceof UserError) io.err(`paylens ${name}: ${error.message}`);
    else io.err(`paylens ${name}: ${(error as Error).message ?? String(error)}`);
    return error instanceof UserError ? 2 : 1;
  }
}
