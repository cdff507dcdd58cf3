import { useApi } from './api';

export function Endpoints({ webhookBaseUrl }: { webhookBaseUrl: string }) {
  const { data, error } = useApi('endpoints.list', {});
  return (
    <section aria-label="Endpoints">
      <h2>Webhook endpoints</h2>
      {error && <p className="error">{(error as Error).message}</p>}
      {data && data.length === 0 && <p className="empty">No endpoints yet: run <code>paylens endpoints add --name shop --secret whsec_…</code></p>}
      <ul className="endpoints">
        {data?.map((e) => (
          <li key={e.id}>
            <strong>{e.name}</strong> <span className={`mode ${e.mode}`}>{e.mode}</span> <span className="secret">{e.secret}</span>
            {e.debug && <span className="tag">debug</span>}
            <div className="mono url">{webhookBaseUrl}{e.path}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
