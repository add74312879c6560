import { openTenantStore } from '../store/index.ts';
import type { TenantStore } from '../store/types.ts';

/** Tenant stores opened by one thread, kept open across jobs, one per data file. */
export class StoreCache {
  private readonly stores = new Map<string, TenantStore>();

  /** The store of a tenant data file, opened on first use. */
  get(dataPath: string, timeZone: string): TenantStore {
    let store = this.stores.get(dataPath);
    if (!store) {
      store = openTenantStore(dataPath, { timeZone });
      this.stores.set(dataPath, store);
    }
    return store;
  }

  closeAll(): void {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
  }
}
