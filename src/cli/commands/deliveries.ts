import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../../core/errors';
import { type Command, parse, parseIntFlag, withEngine } from '../command';
import { deliveryLine } from '../format';

const USAGE = `paylens deliveries [--follow] [--failed] [--limit N] [--json]
paylens deliveries show <id> [--json]
paylens deliveries replay <id> [--json]`;

const POLL_MS = 200;

export const deliveriesCommand: Command = {
  name: 'deliveries',
  summary: 'The webhook delivery log; --follow streams new deliveries as they arrive',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parse(args, { follow: { type: 'boolean', short: 'f' }, failed: { type: 'boolean' }, limit: { type: 'string' } });
    const [action, idText] = positionals;
    const id = () => {
      const n = Number(idText);
      if (!idText || !Number.isInteger(n)) throw new UserError(`paylens deliveries ${action} needs a delivery id (a number)`);
      return n;
    };
    return withEngine(values['data-dir'], async (engine) => {
      if (action === 'show') {
        const row = engine.deliveries.getRow(id());
        const detail = engine.deliveries.get(row.id, null);
        if (values.json) io.out(JSON.stringify(detail));
        else {
          io.out(deliveryLine(detail));
          io.out(`headers: ${JSON.stringify(detail.headers, null, 2)}`);
          io.out(detail.body === null ? 'body: (not kept)' : `body${detail.bodyTruncated ? ' (truncated)' : ''}:\n${detail.body}`);
        }
        return 0;
      }
      if (action === 'replay') {
        const replayed = await engine.receiver.replay(id());
        io.out(values.json ? JSON.stringify(replayed) : deliveryLine(replayed));
        return replayed.status < 300 ? 0 : 1;
      }
      if (action) throw new UserError(`Unknown action "${action}". Usage:\n${USAGE}`);

      const limit = parseIntFlag(values.limit, 'limit', 50, 1, 1000);
      const failedOnly = values.failed ?? false;
      const print = (d: Parameters<typeof deliveryLine>[0]) => io.out(values.json ? JSON.stringify(d) : deliveryLine(d));
      const recent = engine.deliveries.list({ limit, failedOnly }).reverse();
      recent.forEach(print);
      if (!values.follow) {
        if (recent.length === 0 && !values.json) io.out('No deliveries yet.');
        return 0;
      }
      // Another process (paylens serve) writes the log; follow it through the database.
      let last = engine.store.first(engine.store.db.selectFrom('deliveries').select((eb) => eb.fn.max('id').as('max')))?.max ?? 0;
      if (!values.json) io.err(`Following deliveries in ${engine.dataDir} (Ctrl-C to stop)…`);
      let stopped = false;
      const stop = () => (stopped = true);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      while (!stopped) {
        for (const d of engine.deliveries.list({ limit: 1000, afterId: last, failedOnly: false })) {
          last = d.id;
          if (!failedOnly || d.status >= 300) print(d);
        }
        await sleep(POLL_MS);
      }
      return 0;
    });
  },
};
