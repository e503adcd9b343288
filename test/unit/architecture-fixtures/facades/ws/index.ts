// Clean: a facade may import the engine API, domain, errors and log.
import type { Engine } from '../../engine/index.js';
import { name } from '../../domain/index.js';

export const socket = (engine: Engine): unknown => [engine, name];
