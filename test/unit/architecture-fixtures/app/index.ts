// Clean: the composition root reads the environment and hands the engine to a facade.
import { engine } from '../engine/index.js';
import { serve } from '../facades/http/index.js';

export const start = (): unknown => serve({ engine, port: Number(process.env.PORT) });
