// Breaks: process.env reached four more ways outside app/ (node:process is no package of git's either).
import { env } from 'node:process';

const { env: copied } = process;
const indexed = process['env'];
const global = globalThis.process.env;
export const all = [env, copied, indexed, global];
