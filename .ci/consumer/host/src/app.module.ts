import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { M2M_ENTITIES, M2M_MIGRATIONS, M2mModule } from 'nestjs-m2m';
import { OrdersController } from './orders.controller.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

/** A host app as a user writes it from the docs: its own database, the module, its own API. */
@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: required('DATABASE_URL'),
      entities: M2M_ENTITIES,
      migrations: M2M_MIGRATIONS,
      migrationsRun: true,
      migrationsTableName: 'm2m_migrations',
    }),
    M2mModule.forRoot({
      issuer: required('M2M_ISSUER'),
      keyEncryptionKey: required('M2M_KEY_ENCRYPTION_KEY'),
      // The web console, from the files shipped in the package.
      console: true,
    }),
  ],
  controllers: [OrdersController],
})
export class AppModule {}
