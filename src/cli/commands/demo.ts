import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { buildDemo } from '../../core/demo/index';
import { UserError } from '../../core/errors';
import { startWebhookListener } from '../../server/webhook-listener';
import { type Command, parse, parseIntFlag, withEngine } from '../command';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Fill an empty data folder with a realistic demo store (same seed, same store)',
  usage: 'paylens demo [--data-dir D] [--days 90] [--seed N] [--end YYYY-MM-DD]',
  async run(args, io) {
    const { values } = parse(args, { days: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' } }, false);
    const days = parseIntFlag(values.days, 'days', 90, 7, 730);
    const seed = parseIntFlag(values.seed, 'seed', 1, 0, 2 ** 31 - 1);
    let end: number | undefined;
    if (values.end !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.end) || Number.isNaN(Date.parse(`${values.end}T00:00:00Z`))) throw new UserError(`--end must be a date like 2026-03-31, got "${values.end}"`);
      end = Date.parse(`${values.end}T00:00:00Z`) / 1000 + 86_400;
    }
    return withEngine(values['data-dir'], async (engine) => {
      const used = engine.store.first(sql<{ n: number }>`SELECT (SELECT count(*) FROM payment_intents) + (SELECT count(*) FROM analytics_sessions) AS n`);
      if (used && used.n > 0) throw new UserError(`${engine.dataDir} already holds payments or sessions; run the demo on an empty --data-dir`);
      const started = Date.now();
      const summary = await buildDemo(engine, {
        days,
        seed,
        end,
        listen: (receiver) => startWebhookListener(receiver, { port: 0, host: '127.0.0.1' }),
        onProgress: (line) => (values.json ? undefined : io.err(line)),
      });
      if (values.json) io.out(JSON.stringify({ dataDir: engine.dataDir, ...summary }));
      else {
        io.out(
          `Demo store ready in ${engine.dataDir} (${((Date.now() - started) / 1000).toFixed(1)} s): ${summary.visitors.toLocaleString()} visitors, ` +
            `${summary.sessions.toLocaleString()} sessions, ${summary.payments.toLocaleString()} payments from ${summary.deliveries.toLocaleString()} webhook deliveries` +
            (summary.failedDeliveries ? ` (${summary.failedDeliveries} refused: see paylens deliveries --failed)` : ''),
        );
        const from = DateTime.fromSeconds(end ?? Date.now() / 1000, { zone: 'utc' }).minus({ days }).toISODate();
        const dir = `--data-dir ${engine.dataDir}`;
        io.out(`Try: paylens report revenue ${dir} --from ${from} --interval week`);
        io.out(`     paylens report attribution ${dir} --from ${from} --by utm_source --model position_based`);
      }
      return summary.failedDeliveries ? 1 : 0;
    });
  },
};
