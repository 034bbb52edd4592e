// The runtime owns the edit-distance helper (it suggests argument names); manifest keys reuse it.
export { closest } from '../../runtime/suggest.js';
