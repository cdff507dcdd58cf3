#!/usr/bin/env node
// `npm start`: the desktop app where Electron can start, else the headless server.
const { spawnSync, spawn } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });

if (run('npx', ['electron-vite', 'build']).status !== 0) process.exit(1);

function electronUsable() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display';
  try {
    // Resolving the path throws when the Electron binary is not installed.
    const binary = require('electron');
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 20000 });
    return probe.status === 0 ? null : 'the Electron binary does not run here';
  } catch (error) {
    return `the Electron binary is not installed (${String(error.message).split('\n')[0]})`;
  }
}

const reason = process.env.PAYLENS_HEADLESS ? 'PAYLENS_HEADLESS is set' : electronUsable();
const child = reason
  ? (console.log(`Electron cannot start (${reason}); running headless instead.`),
    spawn(process.execPath, [path.join(root, 'bin', 'paylens.js'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' }))
  : spawn('npx', ['electron-vite', 'preview'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
