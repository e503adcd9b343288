// Breaks: domain (L0) reaches the engine (L3) through a dynamic import.

export const load = async (): Promise<unknown> => import('../engine/index.js');
