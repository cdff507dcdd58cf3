// The layer table of DESIGN.md, enforced by eslint.config.mjs: prove the rules bite where they should.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

async function restricted(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('reject electron in src/core', async () => {
    const messages = await restricted("import { app } from 'electron';\nexport const name = app.getName();\n", 'src/core/example.ts');
    expect(messages).toEqual([expect.stringContaining('electron may be imported only in src/main and src/preload')]);
  });

  it('reject node built-ins in src/renderer', async () => {
    expect(await restricted("import fs from 'node:fs';\nexport const read = () => fs.readFileSync('x');\n", 'src/renderer/src/example.ts')).toEqual([
      expect.stringContaining('Node built-ins cannot run in this layer'),
    ]);
    expect(await restricted("import path from 'path';\nexport const p = path.sep;\n", 'src/renderer/src/example.ts')).toHaveLength(1);
  });

  it('reject the engine in src/renderer', async () => {
    const code = "import { createEngine } from '../../core/engine';\nexport const make = createEngine;\n";
    expect(await restricted(code, 'src/renderer/src/example.ts')).toEqual([expect.stringContaining('This layer may not import the engine')]);
    expect(await restricted("import { startHeadless } from '../../server/headless';\nexport const s = startHeadless;\n", 'src/renderer/src/example.ts')).toHaveLength(1);
  });

  it('reject react outside the renderer and electron in the shared contract', async () => {
    expect(await restricted("import { useState } from 'react';\nexport const s = useState;\n", 'src/core/example.ts')).toHaveLength(1);
    expect(await restricted("import { ipcMain } from 'electron';\nexport const i = ipcMain;\n", 'src/shared/example.ts')).toHaveLength(1);
  });

  it('accept a renderer file importing from src/shared, and electron in src/main', async () => {
    const code = "import type { DeliverySummary } from '../../shared/api/deliveries';\nimport { formatMoney } from '../../shared/money';\nexport const f = (d: DeliverySummary) => formatMoney(d.status, 'usd');\n";
    expect(await restricted(code, 'src/renderer/src/example.ts')).toEqual([]);
    expect(await restricted("import { app } from 'electron';\nexport const n = app.getName();\n", 'src/main/example.ts')).toEqual([]);
  });
});
