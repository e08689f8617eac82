/** Where the lease ledger lives: the ref, and the file in each version's tree. */
export const LEASES_REF = 'refs/swarm/leases';
export const LEASES_FILE = 'leases.json';
