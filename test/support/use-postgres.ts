// Jest setup file of the e2e-postgres project: every suite runs against PostgreSQL.
process.env['M2M_TEST_DB'] = 'postgres';
