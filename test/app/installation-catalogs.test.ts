import { describe, expect, it } from '@jest/globals';
import type { CatalogLookup } from '../../src/catalog/catalog.js';
import { CATALOG_TTL_MS, InstallationCatalogs } from '../../src/app/installation-catalogs.js';

const lookup = (location: string) => ({ location }) as unknown as CatalogLookup;

describe('InstallationCatalogs', () => {
  it('keeps one lookup per installation until the TTL has passed', () => {
    let now = 0;
    const catalogs = new InstallationCatalogs(() => now);
    let made = 0;
    const make = () => lookup(`lookup ${++made}`);
    const first = catalogs.get(1, make);
    expect(catalogs.get(1, make)).toBe(first);
    expect(catalogs.get(2, make).location).toBe('lookup 2');
    now = CATALOG_TTL_MS - 1;
    expect(catalogs.get(1, make)).toBe(first);
    now = CATALOG_TTL_MS;
    expect(catalogs.get(1, make).location).toBe('lookup 3');
    expect(made).toBe(3);
  });
});
