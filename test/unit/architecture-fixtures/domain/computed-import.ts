// Breaks: a module named at run time cannot be checked, so it is refused.
const where = '../engine/index.js';
export const load = async (): Promise<unknown> => import(where);
