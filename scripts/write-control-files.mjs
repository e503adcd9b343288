// npm run schema: regenerate batch-control.schema.json and the repository's default batch-control.json
// from the zod schema (a test fails when the committed files drift).
import { writeFileSync } from 'node:fs';

const { controlFileJsonSchema, defaultControlFile, renderControlFile } = await import('../dist/controller/control/index.js');
writeFileSync(new URL('../batch-control.schema.json', import.meta.url), controlFileJsonSchema());
writeFileSync(new URL('../batch-control.json', import.meta.url), renderControlFile(defaultControlFile()));
console.log('wrote batch-control.schema.json and batch-control.json');
