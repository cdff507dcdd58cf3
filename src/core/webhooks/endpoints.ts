// Webhook endpoints: one Stripe webhook configuration each, reached at /stripe/webhook/<token>.
import crypto from 'node:crypto';
import type { EndpointView } from '../../shared/api/endpoints';
import type { ApiParsedInput } from '../../shared/api/index';
import { maskSecret, type SecretBox } from '../config/secrets';
import type { WebhookEndpointTable } from '../db/schema';
import type { Store } from '../db/store';
import { NotFoundError, UserError } from '../errors';

export const SECRET_ROLLOVER_MS = 24 * 60 * 60 * 1000;
export const webhookPath = (token: string) => `/stripe/webhook/${token}`;

/** `wh_` + 32 URL-safe random characters (192 bits). */
export const newEndpointToken = () => `wh_${crypto.randomBytes(24).toString('base64url')}`;
const newEndpointId = () => `we_${crypto.randomBytes(9).toString('base64url')}`;

export interface ResolvedEndpoint {
  row: WebhookEndpointTable;
  /** Secrets to try, newest first: the previous one while its 24 h roll-over lasts. */
  secrets: string[];
  clientIds: string[] | null;
}

/** Resolved endpoints are reused this long; changes made by another process apply within it. */
const RESOLVE_CACHE_MS = 1000;

export function createEndpoints(store: Store, box: SecretBox, now: () => number = Date.now) {
  const { db } = store;
  // The receiver resolves a token on every delivery; decrypting secrets each time is waste.
  const resolved = new Map<string, { at: number; endpoint: ResolvedEndpoint | undefined }>();
  const forget = () => resolved.clear();

  const view = (row: WebhookEndpointTable): EndpointView => ({
    id: row.id,
    name: row.name,
    token: row.token,
    path: webhookPath(row.token),
    mode: row.mode,
    debug: row.debug === 1,
    clientIds: row.client_ids ? (JSON.parse(row.client_ids) as string[]) : null,
    secret: maskSecret(row.secret_last4),
    previousSecretValidUntil:
      row.previous_secret_expires_at && row.previous_secret_expires_at > now() ? row.previous_secret_expires_at : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const findRow = (ref: string) =>
    store.first(
      db.selectFrom('webhook_endpoints').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('token', '=', ref), eb('name', '=', ref)])),
    );

  const getRow = (ref: string) => {
    const row = findRow(ref);
    if (!row) throw new NotFoundError(`No webhook endpoint with id, name or token "${ref}"`);
    return row;
  };

  const assertNameFree = (name: string, exceptId?: string) => {
    const clash = store.first(db.selectFrom('webhook_endpoints').select('id').where('name', '=', name));
    if (clash && clash.id !== exceptId) throw new UserError(`An endpoint named "${name}" already exists`);
  };

  const clientIdsJson = (ids: string[] | null) => (ids && ids.length > 0 ? JSON.stringify([...new Set(ids)]) : null);

  return {
    list: (): EndpointView[] => store.all(db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at')).map(view),

    get: (ref: string): EndpointView => view(getRow(ref)),

    create(input: ApiParsedInput<'endpoints.create'>): EndpointView {
      assertNameFree(input.name);
      const at = now();
      const row: WebhookEndpointTable = {
        id: newEndpointId(),
        name: input.name,
        token: newEndpointToken(),
        secret_enc: box.encrypt(input.secret),
        secret_last4: input.secret.slice(-4),
        previous_secret_enc: null,
        previous_secret_expires_at: null,
        mode: input.mode,
        debug: input.debug ? 1 : 0,
        client_ids: clientIdsJson(input.clientIds),
        created_at: at,
        updated_at: at,
      };
      store.run(db.insertInto('webhook_endpoints').values(row));
      forget();
      return view(row);
    },

    update(input: ApiParsedInput<'endpoints.update'>): EndpointView {
      const row = getRow(input.ref);
      const changes: Partial<WebhookEndpointTable> = { updated_at: now() };
      if (input.name !== undefined) {
        assertNameFree(input.name, row.id);
        changes.name = input.name;
      }
      if (input.secret !== undefined && box.decrypt(row.secret_enc) !== input.secret) {
        changes.previous_secret_enc = row.secret_enc;
        changes.previous_secret_expires_at = now() + SECRET_ROLLOVER_MS;
        changes.secret_enc = box.encrypt(input.secret);
        changes.secret_last4 = input.secret.slice(-4);
      }
      if (input.mode !== undefined) changes.mode = input.mode;
      if (input.debug !== undefined) changes.debug = input.debug ? 1 : 0;
      if (input.clientIds !== undefined) changes.client_ids = clientIdsJson(input.clientIds);
      store.run(db.updateTable('webhook_endpoints').set(changes).where('id', '=', row.id));
      forget();
      return view(getRow(row.id));
    },

    regenerateToken(ref: string): EndpointView {
      const row = getRow(ref);
      store.run(db.updateTable('webhook_endpoints').set({ token: newEndpointToken(), updated_at: now() }).where('id', '=', row.id));
      forget();
      return view(getRow(row.id));
    },

    remove(ref: string): { removed: string } {
      const row = getRow(ref);
      store.run(db.deleteFrom('webhook_endpoints').where('id', '=', row.id));
      forget();
      return { removed: row.id };
    },

    /** The endpoint behind a webhook URL token, with its usable secrets; undefined when unknown. */
    resolveToken(token: string): ResolvedEndpoint | undefined {
      const cached = resolved.get(token);
      if (cached && now() - cached.at < RESOLVE_CACHE_MS) return cached.endpoint;
      const endpoint = resolve('token', token);
      if (resolved.size > 1000) forget();
      resolved.set(token, { at: now(), endpoint });
      return endpoint;
    },
    resolveId: (id: string) => resolve('id', id),
  };

  function resolve(column: 'token' | 'id', value: string): ResolvedEndpoint | undefined {
      const row = store.first(db.selectFrom('webhook_endpoints').selectAll().where(column, '=', value));
      if (!row) return undefined;
      const secrets = [box.decrypt(row.secret_enc)];
      if (row.previous_secret_enc && (row.previous_secret_expires_at ?? 0) > now()) secrets.push(box.decrypt(row.previous_secret_enc));
      return { row, secrets, clientIds: row.client_ids ? (JSON.parse(row.client_ids) as string[]) : null };
  }
}

export type Endpoints = ReturnType<typeof createEndpoints>;
