// log/: the pino factory.
export { createLogger, type Logger } from './logger.js';
