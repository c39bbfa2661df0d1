// Jest setup file of the e2e-fastify project: every suite boots the example server on Fastify.
process.env['M2M_TEST_HTTP_ADAPTER'] = 'fastify';
