// Used only by the TypeORM CLI (`npm run migration:create`, `typeorm migration:show`).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(
  dataSourceOptions({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recommendation_tracker' }),
);
