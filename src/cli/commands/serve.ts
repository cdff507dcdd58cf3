import path from 'node:path';
import fs from 'node:fs';
import { resolveDataDir } from '../../core/config/data-dir';
import { startHeadless } from '../../server/headless';
import { type Command, parse, parseIntFlag } from '../command';

/** The built renderer sits beside the built CLI (out/renderer next to out/main). */
export function builtRendererDir(): string | null {
  const dir = path.resolve(__dirname, '../renderer');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the engine headless: webhook receiver and the local app/API',
  usage: 'paylens serve [--data-dir D] [--webhook-port N] [--api-port N] [--host H]',
  async run(args, io) {
    const { values } = parse(args, { 'webhook-port': { type: 'string' }, 'api-port': { type: 'string' }, host: { type: 'string' } }, false);
    const headless = await startHeadless({
      dataDir: resolveDataDir(values['data-dir']),
      webhookPort: parseIntFlag(values['webhook-port'], 'webhook-port', 4242),
      apiPort: parseIntFlag(values['api-port'], 'api-port', 4243),
      host: values.host ?? '127.0.0.1',
      rendererDir: builtRendererDir(),
    });
    const urls = headless.webhookUrls();
    if (values.json) {
      io.out(JSON.stringify({ dataDir: headless.engine.dataDir, webhookUrl: headless.webhook.url, appUrl: headless.api?.appUrl, endpoints: urls }));
    } else {
      io.out(`Paylens is running (data: ${headless.engine.dataDir})`);
      io.out(`Open the app:     ${headless.api?.appUrl}`);
      io.out(`Webhook receiver: ${headless.webhook.url}  (health: ${headless.webhook.url}/health)`);
      if (urls.length === 0) io.out('No webhook endpoints yet: add one with `paylens endpoints add --name shop --secret whsec_…`');
      for (const u of urls) io.out(`  ${u.name} [${u.mode}]: ${u.url}`);
      io.out('Press Ctrl-C to stop.');
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await headless.close();
    if (!values.json) io.err('Stopped.');
    return 0;
  },
};
