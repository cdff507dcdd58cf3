// In-process push events (new deliveries, import progress…), fanned out to the SSE stream or IPC.
import { EventEmitter } from 'node:events';
import type { PushEventName, PushEvents } from '../shared/api/index';

export interface PushBus {
  emit<E extends PushEventName>(event: E, payload: PushEvents[E]): void;
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
  /** Every event, for relays that forward all of them. */
  onAny(listener: <E extends PushEventName>(event: E, payload: PushEvents[E]) => void): () => void;
}

export function createPushBus(): PushBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emit(event, payload) {
      emitter.emit(event, payload);
      emitter.emit('*', event, payload);
    },
    on(event, listener) {
      emitter.on(event, listener as (payload: unknown) => void);
      return () => emitter.off(event, listener as (payload: unknown) => void);
    },
    onAny(listener) {
      emitter.on('*', listener);
      return () => emitter.off('*', listener);
    },
  };
}
