// The whole bridge: invoke an API method, listen to push events. Nothing else reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiMethod, PushEventName } from '../shared/api/index';

contextBridge.exposeInMainWorld('paylens', {
  invoke: (method: ApiMethod, input: unknown) => ipcRenderer.invoke('paylens:invoke', method, input),
  on: (event: PushEventName, listener: (payload: unknown) => void) => {
    const relay = (_: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('paylens:push', relay);
    return () => ipcRenderer.off('paylens:push', relay);
  },
});
