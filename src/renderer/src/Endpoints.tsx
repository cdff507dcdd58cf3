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
            <div className="endpoint-head">
              <strong>{e.name}</strong>
              <span className={`mode ${e.mode}`}>{e.mode}</span>
              {e.debug && <span className="tag">debug</span>}
              <span className="secret mono">{e.secret}</span>
              {e.clientIds && <span className="muted small">client ids: {e.clientIds.join(', ')}</span>}
            </div>
            <div className="mono url">{webhookBaseUrl}{e.path}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
