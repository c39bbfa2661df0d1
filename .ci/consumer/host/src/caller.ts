import { M2mTokenClient } from 'nestjs-m2m-client';

/** A caller as a user writes it from docs/calling-apis.md: discovery, then a guarded call. */
const issuer = process.env['M2M_ISSUER']!;
const client = new M2mTokenClient({
  issuer,
  clientId: process.env['CLIENT_ID']!,
  clientSecret: process.env['CLIENT_SECRET']!,
  scopes: ['orders:read'],
});
const first = await client.fetch(`${issuer}/orders`);
const second = await client.fetch(`${issuer}/orders`);
console.log(JSON.stringify({ statuses: [first.status, second.status], body: await first.json() }));
