/** Written into every bundle's manifest `source.version`. */
export const APP_NAME = 'rythm-data';
export const APP_VERSION = '0.1.0';
