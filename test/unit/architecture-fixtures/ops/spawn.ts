// Breaks: only git/ spawns processes, whether child_process is named with node: or without.

import { spawn } from 'child_process';

export const start = (): unknown => spawn('git', ['--version']);
