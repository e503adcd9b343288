// Breaks: a facade imports another facade and the store; the engine, handed over, is fine.
import type { Engine } from '../../engine/index.js';
import { socket } from '../ws/index.js';
import { open } from '../../store/index.js';

export const serve = ({ engine, port }: { engine: Engine; port: number }): unknown => [engine, port, socket, open];
