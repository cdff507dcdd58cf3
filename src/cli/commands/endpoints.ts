import { UserError } from '../../core/errors';
import type { EndpointView } from '../../shared/api/endpoints';
import { type Command, parse, validated, withEngine } from '../command';
import { table } from '../format';

const USAGE = `paylens endpoints add --name N --secret whsec_… [--mode test|live] [--client-id ID]… [--debug] [--json]
paylens endpoints list [--json]
paylens endpoints show <id|name|token> [--json]
paylens endpoints update <id|name|token> [--name N] [--secret whsec_…] [--mode test|live] [--client-id ID]… [--any-client] [--debug|--no-debug] [--json]
paylens endpoints regenerate-token <id|name|token> [--json]
paylens endpoints remove <id|name|token>`;

const options = {
  name: { type: 'string' },
  secret: { type: 'string' },
  mode: { type: 'string' },
  'client-id': { type: 'string', multiple: true },
  'any-client': { type: 'boolean' },
  debug: { type: 'boolean' },
  'no-debug': { type: 'boolean' },
} as const;


const describe = (e: EndpointView) =>
  [
    `${e.name} (${e.id})`,
    `  path:       ${e.path}`,
    `  mode:       ${e.mode}`,
    `  secret:     ${e.secret}${e.previousSecretValidUntil ? ` (previous secret valid until ${new Date(e.previousSecretValidUntil).toISOString()})` : ''}`,
    `  debug:      ${e.debug ? 'on (bodies of accepted deliveries are kept)' : 'off'}`,
    `  client ids: ${e.clientIds ? e.clientIds.join(', ') : 'any'}`,
  ].join('\n');

export const endpointsCommand: Command = {
  name: 'endpoints',
  summary: 'Add, list, show, update and remove Stripe webhook endpoints',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parse(args, options);
    const [action = 'list', ref] = positionals;
    const print = (e: EndpointView, json: unknown = e) => io.out(values.json ? JSON.stringify(json) : describe(e));
    const needRef = () => {
      if (!ref) throw new UserError(`paylens endpoints ${action} needs an endpoint id, name or token`);
      return ref;
    };
    return withEngine(values['data-dir'], (engine) => {
      switch (action) {
        case 'add': {
          if (!values.name) throw new UserError('--name is required');
          if (!values.secret) throw new UserError('--secret is required (the whsec_… signing secret from Stripe)');
          const e = engine.endpoints.create(
            validated('endpoints.create', { name: values.name, secret: values.secret, mode: values.mode, debug: values.debug ?? false, clientIds: values['client-id'] ?? null }),
          );
          if (values.json) io.out(JSON.stringify({ id: e.id, token: e.token, path: e.path, mode: e.mode }));
          else io.out(`${describe(e)}\nIn Stripe, point the webhook at your public base URL + ${e.path}`);
          return 0;
        }
        case 'list': {
          const all = engine.endpoints.list();
          io.out(values.json ? JSON.stringify(all) : table(all.map((e) => ({ id: e.id, name: e.name, mode: e.mode, path: e.path, secret: e.secret, debug: e.debug }))));
          return 0;
        }
        case 'show':
          print(engine.endpoints.get(needRef()));
          return 0;
        case 'update': {
          const clientIds = values['any-client'] ? null : values['client-id'];
          const debug = values['no-debug'] ? false : values.debug;
          print(engine.endpoints.update(validated('endpoints.update', { ref: needRef(), name: values.name, secret: values.secret, mode: values.mode, debug, clientIds })));
          return 0;
        }
        case 'regenerate-token':
          print(engine.endpoints.regenerateToken(needRef()));
          return 0;
        case 'remove': {
          const removed = engine.endpoints.remove(needRef());
          io.out(values.json ? JSON.stringify(removed) : `Removed endpoint ${removed.removed}`);
          return 0;
        }
        default:
          throw new UserError(`Unknown action "${action}". Usage:\n${USAGE}`);
      }
    });
  },
};
