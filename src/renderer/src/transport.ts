// The renderer's one way to the engine: IPC through the preload bridge in the desktop
// app, HTTP + server-sent events (with the token from the page URL) in a browser.
import type { ApiInput, ApiMethod, ApiOutput, PushEventName, PushEvents } from '../../shared/api/index';

interface Bridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export interface Transport {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
}

function ipcTransport(bridge: Bridge): Transport {
  return {
    call: (method, input) => bridge.invoke(method, input) as never,
    on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void),
  };
}

function httpTransport(token: string): Transport {
  let source: EventSource | undefined;
  const stream = () => (source ??= new EventSource(`/api/events?token=${encodeURIComponent(token)}`));
  return {
    async call(method, input) {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      const body = (await res.json()) as { error?: string };
      if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body as never;
    },
    on(event, listener) {
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data));
      stream().addEventListener(event, handler);
      return () => stream().removeEventListener(event, handler);
    },
  };
}

export function pickTransport(): Transport {
  const bridge = (window as unknown as { paylens?: Bridge }).paylens;
  if (bridge) return ipcTransport(bridge);
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token') ?? sessionStorage.getItem('paylens-token') ?? '';
  if (token) sessionStorage.setItem('paylens-token', token);
  return httpTransport(token);
}
