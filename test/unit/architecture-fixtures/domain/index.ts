// Clean: domain may import zod and its own files.
import { z } from 'zod';

export const name = z.string();
