// Runs store tests against every backend the store supports. Today that is SQLite (in memory);
// PostgreSQL joins by adding an entry to STORE_KINDS once openStore can open it.
import { describe } from 'node:test';
import { openStore } from '../../src/store/open.ts';
import type { App, Store, Tenant, User } from '../../src/store/types.ts';

export interface StoreKind {
  name: string;
  /** A fresh, migrated, empty store. */
  open(): Promise<Store>;
}

export const STORE_KINDS: readonly StoreKind[] = [
  { name: 'sqlite', open: () => openStore({ dataDir: '', memory: true }) },
];

/** Declares `body` once per store kind, inside a describe named after the kind. */
export function forEachStore(title: string, body: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) {
    describe(`${title} [${kind.name}]`, () => body(kind));
  }
}

export interface Account {
  tenant: Tenant;
  user: User;
  app: App;
}

let counter = 0;

/** A tenant, a user and an app to hang codes, tokens and grants on. */
export async function seedAccount(store: Store, now = new Date('2030-01-01T00:00:00Z')): Promise<Account> {
  counter += 1;
  const tenant = await store.tenants.create({ slug: `t${counter}`, name: `Tenant ${counter}` }, now);
  const user = await store.users.create(
    { tenantId: tenant.id, username: `user${counter}`, passwordHash: 'not-a-real-hash', email: `u${counter}@example.com`, firstName: 'U', lastName: String(counter), role: 'USER' },
    now,
  );
  const app = await store.apps.create(
    {
      tenantId: tenant.id,
      clientId: counter.toString(16).padStart(20, '0'),
      clientSecretHash: 'f'.repeat(64),
      name: `App ${counter}`,
      description: '',
      redirectUris: ['https://app.example.com/cb'],
      limitToAccount: false,
    },
    now,
  );
  return { tenant, user, app };
}
