import { UserError } from '../../core/errors';
import { type Command, parse, withEngine } from '../command';

export const configCommand: Command = {
  name: 'config',
  summary: 'Show or change settings (delivery log retention)',
  usage: 'paylens config [get <key>] [--json]\npaylens config set <key> <value>',
  async run(args, io) {
    const { values, positionals } = parse(args, {});
    const [action = 'get', key, value] = positionals;
    return withEngine(values['data-dir'], (engine) => {
      if (action === 'get') {
        const all = engine.settings.all() as Record<string, unknown>;
        if (key && !(key in all)) throw new UserError(`Unknown setting "${key}"; known: ${Object.keys(all).join(', ')}`);
        const shown = key ? { [key]: all[key] } : all;
        io.out(values.json ? JSON.stringify(shown) : Object.entries(shown).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n'));
        return 0;
      }
      if (action === 'set') {
        if (!key || value === undefined) throw new UserError('Usage: paylens config set <key> <value>');
        let parsed: unknown = value;
        try {
          parsed = JSON.parse(value);
        } catch {
          // a bare word stays a string
        }
        const saved = engine.settings.set(key, parsed);
        io.out(`${key} = ${JSON.stringify(saved)}`);
        return 0;
      }
      throw new UserError(`Unknown action "${action}"; use get or set`);
    });
  },
};
