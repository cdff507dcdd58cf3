import { useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/index';
import type { Transport } from './transport';

export const TransportContext = createContext<Transport | null>(null);

export function useTransport(): Transport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('TransportContext is missing');
  return transport;
}

/** React Query over one API method; the query key is the method and its input. */
export function useApi<M extends ApiMethod>(method: M, input: ApiInput<M>, options: Partial<UseQueryOptions<ApiOutput<M>>> = {}) {
  const transport = useTransport();
  return useQuery<ApiOutput<M>>({ queryKey: [method, input], queryFn: () => transport.call(method, input), ...options });
}
