// Breaks: a static import written with double quotes.

import { engine } from "../engine/index.js";

export const run = engine.run;
