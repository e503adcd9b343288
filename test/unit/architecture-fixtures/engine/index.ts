// Clean: the engine API the facades are handed.
export interface Engine {
  run(): Promise<void>;
}
export const engine: Engine = { run: async () => {} };
