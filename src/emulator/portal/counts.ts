/** How many rows of each kind a portal of scale N holds (N ≈ number of deals). */
export interface PortalCounts {
  deals: number;
  contacts: number;
  companies: number;
  leads: number;
  activities: number;
  products: number;
  calls: number;
  users: number;
  departments: number;
  openLines: number;
  spaTypes: number;
  spaItems: number;
}

/** `spaTypes` defaults to the 2 smart processes most small portals have. */
export function countsFor(scale: number, spaTypes = 2): PortalCounts {
  const n = Math.max(1, Math.round(scale));
  const users = Math.max(10, Math.round(n / 50));
  return {
    deals: n,
    contacts: n,
    companies: Math.max(1, Math.round(n / 3)),
    leads: n,
    activities: 3 * n,
    products: Math.max(20, Math.round(n / 10)),
    calls: Math.max(1, Math.round(n / 2)),
    users,
    departments: Math.max(5, Math.round(users / 8)),
    openLines: 3 + (n % 3),
    spaTypes: Math.max(0, Math.round(spaTypes)),
    spaItems: Math.max(1, Math.round(n / 5)),
  };
}
