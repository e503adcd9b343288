// The control file `batchctl init` writes: every field explicit, so operators see what they can steer.
import { CONTROL_SCHEMA_FILE_NAME, controlFileSchema, type ControlFile } from '../domain/index.js';

export function defaultControlFile(): ControlFile {
  return controlFileSchema.parse({
    $schema: `./${CONTROL_SCHEMA_FILE_NAME}`,
    enabled: true,
  });
}

export function renderControlFile(control: ControlFile): string {
  return `${JSON.stringify(control, null, 2)}\n`;
}
