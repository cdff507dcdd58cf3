import path from 'node:path';
import fs from 'node:fs';
import { resolveDataDir } from '../../core/config/data-dir';
import { UserError } from '../../core/errors';
import { DEFAULT_TUNNEL_HOST, validateSubdomain } from '../../core/tunnel';
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
  usage: `paylens serve [--data-dir D] [--webhook-port N] [--api-port N] [--host H]
             [--tunnel [--tunnel-host URL] [--subdomain NAME]] [--public-url URL] [--json]
  --tunnel       expose the webhook listener (only it) through localtunnel (default server ${DEFAULT_TUNNEL_HOST})
  --public-url   your own public URL that reaches the webhook listener (reverse proxy, port forward)`,
  async run(args, io) {
    const { values } = parse(
      args,
      {
        'webhook-port': { type: 'string' },
        'api-port': { type: 'string' },
        host: { type: 'string' },
        tunnel: { type: 'boolean' },
        'tunnel-host': { type: 'string' },
        subdomain: { type: 'string' },
        'public-url': { type: 'string' },
      },
      false,
    );
    if ((values['tunnel-host'] || values.subdomain) && !values.tunnel) throw new UserError('--tunnel-host and --subdomain go with --tunnel');
    if (values.tunnel && values['public-url']) throw new UserError('Choose --tunnel or --public-url, not both');
    if (values['public-url'] && !/^https?:\/\/[^\s/]+/.test(values['public-url'])) throw new UserError(`--public-url must be an http(s) URL, got "${values['public-url']}"`);
    validateSubdomain(values.subdomain);
    const headless = await startHeadless({
      dataDir: resolveDataDir(values['data-dir']),
      webhookPort: parseIntFlag(values['webhook-port'], 'webhook-port', 4242),
      apiPort: parseIntFlag(values['api-port'], 'api-port', 4243),
      host: values.host ?? '127.0.0.1',
      rendererDir: builtRendererDir(),
      tunnel: values.tunnel ? { host: values['tunnel-host'], subdomain: values.subdomain, onError: (e) => io.err(`Tunnel: ${e.message}`) } : undefined,
      publicUrl: values['public-url'],
    });
    const urls = headless.webhookUrls();
    if (values.json) {
      io.out(
        JSON.stringify({ dataDir: headless.engine.dataDir, webhookUrl: headless.webhook.url, publicUrl: headless.publicBaseUrl, appUrl: headless.api?.appUrl, endpoints: urls }),
      );
    } else {
      io.out(`Paylens is running (data: ${headless.engine.dataDir})`);
      io.out(`Open the app:     ${headless.api?.appUrl}`);
      io.out(`Webhook receiver: ${headless.webhook.url}  (health: ${headless.webhook.url}/health)`);
      if (urls.length === 0) io.out('No webhook endpoints yet: add one with `paylens endpoints add --name shop --secret whsec_…`');
      if (headless.publicBaseUrl) io.out(`Public base URL:  ${headless.publicBaseUrl}  (reaches the webhook receiver only)`);
      for (const u of urls) io.out(`  ${u.name} [${u.mode}]: ${u.url}${u.publicUrl ? `\n      public: ${u.publicUrl}` : ''}`);
      if (urls.length > 0 && !headless.publicBaseUrl) io.out(`With the Stripe CLI: stripe listen --forward-to ${urls[0]!.url}`);
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
