import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { DeliverySummary } from '../../shared/api/deliveries';
import { useApi, useTransport } from './api';
import { statusClass, time } from './status';

interface Props {
  selected: number | null;
  onSelect: (id: number) => void;
}

/** The live delivery log: the latest rows, with new ones pushed in as they arrive. */
export function DeliveryLog({ selected, onSelect }: Props) {
  const transport = useTransport();
  const queryClient = useQueryClient();
  const { data, error } = useApi('deliveries.list', { limit: 100 });
  const [live, setLive] = useState<DeliverySummary[]>([]);

  useEffect(() => transport.on('delivery', (delivery) => setLive((rows) => [delivery, ...rows].slice(0, 200))), [transport]);
  useEffect(() => setLive([]), [data]);

  const seen = new Set(live.map((d) => d.id));
  const rows = [...live, ...(data ?? []).filter((d) => !seen.has(d.id))].sort((a, b) => b.id - a.id);

  return (
    <section aria-label="Deliveries" className="deliveries-section">
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
            <tr><th>Time</th><th>Status</th><th>Endpoint</th><th>Event</th><th>Id</th><th>Result</th><th className="num">ms</th></tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr
                key={d.id}
                data-delivery-id={d.id}
                className={`${statusClass(d)}${d.id === selected ? ' selected' : ''}`}
                onClick={() => onSelect(d.id)}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect(d.id)}
                tabIndex={0}
                aria-selected={d.id === selected}
              >
                <td className="nowrap">{time(d.receivedAt)}</td>
                <td><span className="pill">{d.status}</span></td>
                <td>{d.endpointName ?? '—'}</td>
                <td className="ellipsis event" title={d.eventType ?? ''}>{d.eventType ?? '—'}</td>
                <td className="mono ellipsis" title={d.eventId ?? ''}>{d.eventId ?? '—'}</td>
                <td className="result" title={d.result}>{d.replayOf !== null && <span className="tag first">replay of #{d.replayOf}</span>}{d.result}</td>
                <td className="num">{d.durationMs.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
