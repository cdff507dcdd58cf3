// Electron main: starts the same engine as `paylens serve`, relays the API over IPC,
// and opens one sandboxed window on the renderer.
import path from 'node:path';
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { callApi } from '../core/api/handlers';
import { resolveDataDir } from '../core/config/data-dir';
import { startHeadless, type Headless } from '../server/headless';

let headless: Headless | undefined;

function createWindow() {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Paylens',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    },
  });
  // Links open in the browser, never inside the app.
  window.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(__dirname, '../renderer/index.html'));
}

async function start() {
  await app.whenReady();
  headless = await startHeadless({
    dataDir: resolveDataDir(undefined, { ...process.env, PAYLENS_DATA_DIR: process.env.PAYLENS_DATA_DIR ?? app.getPath('userData') }),
    webhookPort: Number(process.env.PAYLENS_WEBHOOK_PORT ?? 4242),
    apiPort: 0,
    host: '127.0.0.1',
    rendererDir: null,
    withoutApi: true,
  });
  const { handlers, engine } = headless;
  ipcMain.handle('paylens:invoke', (_event, method: string, input: unknown) => callApi(handlers, method, input));
  engine.bus.onAny((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send('paylens:push', name, payload);
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  void headless?.close();
});

start().catch((error: unknown) => {
  console.error(`Paylens could not start: ${(error as Error).message}`);
  app.exit(1);
});
