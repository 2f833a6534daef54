import { ConfigError } from '../config/app-config.js';

/** Storage that cannot be reached or written at start-up: the process stops with this message. */
export class StorageConfigError extends ConfigError {}
