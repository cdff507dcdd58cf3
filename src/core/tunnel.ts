// Exposes the webhook listener (and only it) to Stripe through a localtunnel server.
import localtunnel from 'localtunnel';
import { UserError } from './errors';

export const DEFAULT_TUNNEL_HOST = 'https://localtunnel.me';
/** What localtunnel servers accept as a subdomain. */
const SUBDOMAIN = /^(?:[a-z0-9][a-z0-9-]{4,63}[a-z0-9]|[a-z0-9]{4,63})$/;

export interface TunnelOptions {
  /** Port of the local webhook listener the tunnel forwards to. */
  localPort: number;
  /** The localtunnel server, e.g. https://localtunnel.me. */
  host?: string;
  subdomain?: string;
  onError?: (error: Error) => void;
}

export interface Tunnel {
  url: string;
  close(): void;
}

export function validateSubdomain(subdomain: string | undefined) {
  if (subdomain !== undefined && !SUBDOMAIN.test(subdomain))
    throw new UserError(`Tunnel subdomain "${subdomain}" is not valid: use 4 to 63 lower-case letters, digits or dashes`);
}

export async function openTunnel(options: TunnelOptions): Promise<Tunnel> {
  validateSubdomain(options.subdomain);
  const host = options.host ?? DEFAULT_TUNNEL_HOST;
  let tunnel: localtunnel.Tunnel;
  try {
    tunnel = await localtunnel({ port: options.localPort, host, subdomain: options.subdomain, local_host: '127.0.0.1' });
  } catch (error) {
    throw new Error(`Could not open a tunnel through ${host}: ${(error as Error).message}`, { cause: error });
  }
  tunnel.on('error', (error: Error) => options.onError?.(error));
  return { url: tunnel.url.replace(/\/$/, ''), close: () => tunnel.close() };
}
