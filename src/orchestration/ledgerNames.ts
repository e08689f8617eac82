/** Where the lease ledger lives: the ref, and the file in each version's tree. */
export { LEDGER_REF as LEASES_REF } from '../git/hookProtocol.js';
export const LEASES_FILE = 'leases.json';
