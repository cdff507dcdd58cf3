import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi, useTransport } from './api';
import { dateTime, statusClass } from './status';

interface Props {
  id: number;
  onClose: () => void;
  onReplayed: (id: number) => void;
}

/** Shows a JSON body indented when it parses, as sent otherwise. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** One delivery in full: result, headers, body, and a Replay button when the body was kept. */
export function DeliveryDetails({ id, onClose, onReplayed }: Props) {
  const transport = useTransport();
  const queryClient = useQueryClient();
  const { data: d, error } = useApi('deliveries.get', { id });
  const replay = useMutation({
    mutationFn: () => transport.call('deliveries.replay', { id }),
    onSuccess: (replayed) => {
      void queryClient.invalidateQueries({ queryKey: ['deliveries.list'] });
      onReplayed(replayed.id);
    },
  });

  return (
    <section aria-label="Delivery details" className="details">
      <h2>
        Delivery #{id}
        <button type="button" className="close" aria-label="Close details" onClick={onClose}>×</button>
      </h2>
      {error && <p className="error">{(error as Error).message}</p>}
      {d && (
        <>
          <p className={`verdict ${statusClass(d)}`}>
            <span className="pill">{d.status}</span> <span className="verdict-text">{d.result}</span>
          </p>
          <dl>
            <dt>Received</dt><dd>{dateTime(d.receivedAt)} · {d.durationMs.toFixed(1)} ms</dd>
            <dt>Endpoint</dt><dd>{d.endpointName ?? '—'}</dd>
            <dt>Event</dt><dd>{d.eventType ?? '—'} <span className="mono">{d.eventId ?? ''}</span></dd>
            <dt>Signature</dt><dd>{d.verification.replace('_', ' ')}</dd>
            {d.usedForReports !== null && <><dt>Reports</dt><dd>{d.usedForReports ? 'used for reports' : 'not used for reports'}</dd></>}
            <dt>From</dt><dd className="mono">{d.method} {d.path} · {d.remoteAddress ?? '—'}</dd>
            {d.replayOf !== null && <><dt>Replay of</dt><dd>#{d.replayOf}</dd></>}
          </dl>
          {d.warnings.length > 0 && (
            <ul className="warnings">{d.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
          )}
          <div className="actions">
            <button type="button" disabled={!d.hasBody || replay.isPending} onClick={() => replay.mutate()}>
              {replay.isPending ? 'Replaying…' : 'Replay'}
            </button>
            {!d.hasBody && <span className="muted">Body not kept (turn on debug for the endpoint to keep accepted bodies).</span>}
            {replay.error && <span className="error">{(replay.error as Error).message}</span>}
          </div>
          <h3>Headers</h3>
          <table className="headers">
            <tbody>
              {Object.entries(d.headers).map(([name, value]) => (
                <tr key={name}><th className="mono">{name}</th><td className="mono">{value}</td></tr>
              ))}
            </tbody>
          </table>
          <h3>Body {d.bodyTruncated && <span className="tag">cut at 256 KiB</span>} <span className="muted">{d.bodySize} bytes</span></h3>
          {d.body !== null ? <pre className="body">{pretty(d.body)}</pre> : <p className="muted">Not kept.</p>}
        </>
      )}
    </section>
  );
}
