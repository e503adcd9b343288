// Breaks: an import that leaves the folder checked.

import type { FileFacts } from '../../../helpers/import-graph.js';

export type Facts = FileFacts;
