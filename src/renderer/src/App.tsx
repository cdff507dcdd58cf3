import { useState } from 'react';
import { useApi } from './api';
import { DeliveryDetails } from './DeliveryDetails';
import { DeliveryLog } from './DeliveryLog';
import { Endpoints } from './Endpoints';

export function App() {
  const info = useApi('server.info', {});
  const [selected, setSelected] = useState<number | null>(null);
  return (
    <main>
      <header>
        <h1>Paylens</h1>
        {info.data && <span className="muted">v{info.data.version} · data: <span className="mono">{info.data.dataDir}</span></span>}
        {info.error && <span className="error">Cannot reach the engine: {(info.error as Error).message}</span>}
      </header>
      <Endpoints webhookBaseUrl={info.data?.publicBaseUrl ?? info.data?.webhookBaseUrl ?? ''} />
      <div className={selected === null ? 'log-layout' : 'log-layout with-details'}>
        <DeliveryLog selected={selected} onSelect={setSelected} />
        {selected !== null && <DeliveryDetails id={selected} onClose={() => setSelected(null)} onReplayed={setSelected} />}
      </div>
    </main>
  );
}
