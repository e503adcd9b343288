// Breaks: the same through a dynamic import of a template literal without substitutions.

export const load = async (): Promise<unknown> => import(`../engine/index.js`);
