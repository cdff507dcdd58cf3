import { formatMoney } from '../../shared/money';
import { UserError } from '../../core/errors';
import { type Command, parse, parseIntFlag, withEngine } from '../command';
import { table } from '../format';

export const paymentsCommand: Command = {
  name: 'payments',
  summary: 'List payments, or show one with its charges, refunds, disputes and events',
  usage: 'paylens payments [--status S] [--limit N] [--json]\npaylens payments show <id> [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, { status: { type: 'string' }, limit: { type: 'string' } });
    const [action, id] = positionals;
    return withEngine(values['data-dir'], (engine) => {
      if (action === 'show') {
        if (!id) throw new UserError('paylens payments show needs a payment id');
        io.out(JSON.stringify(engine.payments.get(id), null, values.json ? undefined : 2));
        return 0;
      }
      if (action) throw new UserError(`Unknown action "${action}"; use \`paylens payments\` or \`paylens payments show <id>\``);
      const list = engine.payments.list({ limit: parseIntFlag(values.limit, 'limit', 50, 1, 1000), offset: 0, status: values.status });
      if (values.json) io.out(JSON.stringify(list));
      else
        io.out(
          table(
            list.map((p) => ({
              id: p.id,
              status: p.status,
              amount: formatMoney(p.amountReceived || p.amount, p.currency),
              refunded: p.amountRefunded ? formatMoney(p.amountRefunded, p.currency) : '',
              when: new Date((p.succeededAt ?? p.created) * 1000).toISOString().slice(0, 19).replace('T', ' '),
              attribution: p.unattributedReason ?? `session ${p.sessionId}`,
            })),
          ),
        );
      return 0;
    });
  },
};
