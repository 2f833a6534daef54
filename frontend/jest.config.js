// Jest for the Angular console: jest-preset-angular (CommonJS), zoneless test environment.
const { createCjsPreset } = require('jest-preset-angular/presets');

/** @type {import('jest').Config} */
module.exports = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  displayName: 'frontend',
  rootDir: __dirname,
  roots: ['<rootDir>/src'],
  setupFilesAfterEnv: ['<rootDir>/setup-jest.ts'],
  moduleNameMapper: {
    '^@rythm/api-types$': '<rootDir>/../backend/src/shared/api-types.ts',
    '^@rythm/audit-actions$': '<rootDir>/../backend/src/shared/audit-actions.ts',
    // The shared modules import each other NodeNext-style ('./patterns.js'): map to the .ts source.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  clearMocks: true,
  restoreMocks: true,
};
