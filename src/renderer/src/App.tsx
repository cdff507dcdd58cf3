import { useApi } from './api';
import { DeliveryLog } from './DeliveryLog';
import { Endpoints } from './Endpoints';

export function App() {
  const info = useApi('server.info', {});
  return (
    <main>
      <header>
        <h1>Paylens</h1>
        {info.data && <span className="muted">data: {info.data.dataDir}</span>}
        {info.error && <span className="error">Cannot reach the engine: {(info.error as Error).message}</span>}
      </header>
      <Endpoints webhookBaseUrl={info.data?.publicBaseUrl ?? info.data?.webhookBaseUrl ?? ''} />
      <DeliveryLog />
    </main>
  );
}
