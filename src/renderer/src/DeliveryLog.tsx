import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { DeliverySummary } from '../../shared/api/deliveries';
import { useApi, useTransport } from './api';

const time = (ms: number) => new Date(ms).toLocaleTimeString();

/** The live delivery log: the latest rows, with new ones pushed in as they arrive. */
export function DeliveryLog() {
  const transport = useTransport();
  const queryClient = useQueryClient();
  const { data, error } = useApi('deliveries.list', { limit: 100 });
  const [live, setLive] = useState<DeliverySummary[]>([]);

  useEffect(() => transport.on('delivery', (delivery) => setLive((rows) => [delivery, ...rows].slice(0, 200))), [transport]);
  useEffect(() => setLive([]), [data]);

  const seen = new Set(live.map((d) => d.id));
  const rows = [...live, ...(data ?? []).filter((d) => !seen.has(d.id))];

  return (
    <section aria-label="Deliveries">
      <h2>
        Webhook deliveries <span className="live">● live</span>
        <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: ['deliveries.list'] })}>Refresh</button>
      </h2>
      {error && <p className="error">{(error as Error).message}</p>}
      {rows.length === 0 ? (
        <p className="empty">No deliveries yet. Send a test event from Stripe to an endpoint URL.</p>
      ) : (
        <table className="deliveries">
          <thead>
            <tr><th>Time</th><th>Status</th><th>Endpoint</th><th>Event</th><th>Id</th><th>Result</th><th>ms</th></tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} className={d.status >= 300 ? 'failed' : d.outcome === 'warning' ? 'warning' : 'ok'}>
                <td>{time(d.receivedAt)}</td>
                <td className="status">{d.status}</td>
                <td>{d.endpointName ?? '—'}</td>
                <td>{d.eventType ?? '—'}</td>
                <td className="mono">{d.eventId ?? '—'}</td>
                <td>{d.result}</td>
                <td className="num">{d.durationMs.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
