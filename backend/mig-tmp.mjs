import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './dist/database/data-source.js';
const ds = new DataSource({ ...dataSourceOptions('postgres://postgres@127.0.0.1:5432/rythm_tgt'), logging: false });
await ds.initialize(); await ds.runMigrations({ transaction: 'each' }); await ds.destroy();
