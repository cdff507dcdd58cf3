// Settings kept in the database so every process on the data folder sees the same values.
import { z } from 'zod';
import type { Store } from '../db/store';
import { UserError } from '../errors';

export const settingSchemas = {
  'deliveries.retentionDays': z.number().int().min(1).max(3650).default(30),
  'deliveries.maxRows': z.number().int().min(100).max(10_000_000).default(100_000),
};
export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;

export const isSettingKey = (key: string): key is SettingKey => Object.prototype.hasOwnProperty.call(settingSchemas, key);

export function createSettings(store: Store) {
  const { db } = store;
  return {
    get<K extends SettingKey>(key: K): SettingValue<K> {
      const row = store.first(db.selectFrom('settings').select('value').where('key', '=', key));
      return settingSchemas[key].parse(row ? JSON.parse(row.value) : undefined) as SettingValue<K>;
    },
    set(key: string, value: unknown) {
      if (!isSettingKey(key)) throw new UserError(`Unknown setting "${key}"; known: ${Object.keys(settingSchemas).join(', ')}`);
      const parsed = settingSchemas[key].safeParse(value);
      if (!parsed.success) throw new UserError(`Invalid value for ${key}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      const json = JSON.stringify(parsed.data);
      store.run(db.insertInto('settings').values({ key, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })));
      return parsed.data;
    },
    all(): Record<SettingKey, unknown> {
      return Object.fromEntries(Object.keys(settingSchemas).map((key) => [key, this.get(key as SettingKey)])) as Record<SettingKey, unknown>;
    },
  };
}

export type Settings = ReturnType<typeof createSettings>;
