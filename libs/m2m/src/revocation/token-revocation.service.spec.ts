import type { AuditLog } from '../audit/audit-log.service.js';
import { InvalidRequestError } from '../errors/oauth.error.js';
import type { M2mTransactions } from '../stores/transactions.js';
import type { ChangeFeed } from './change-feed.service.js';
import { TokenRevocationService, type PresentedToken } from './token-revocation.service.js';

const caller = { clientId: 'm2mc_caller', ownerId: 'tenant-1' };
const expiresAt = new Date('2030-01-01T00:00:00Z');
const own: PresentedToken = { jti: 'jti-1', clientId: 'm2mc_caller', expiresAt };

function service() {
  const revocations = new TokenRevocationService(
    {} as M2mTransactions,
    {} as AuditLog,
    {} as ChangeFeed,
  );
  const revokeToken = jest.spyOn(revocations, 'revokeToken').mockResolvedValue();
  return { revocations, revokeToken };
}

describe('TokenRevocationService.revokePresentedToken (RFC 7009)', () => {
  it('revokes the caller’s own token until it expires, with the caller as actor', async () => {
    const { revocations, revokeToken } = service();
    await revocations.revokePresentedToken(caller, own);
    expect(revokeToken).toHaveBeenCalledWith('jti-1', {
      actor: { type: 'client', id: 'm2mc_caller' },
      clientId: 'm2mc_caller',
      ownerId: 'tenant-1',
      expiresAt,
    });
  });

  it('needs nothing for a token that is not active (§2.2)', async () => {
    const { revocations, revokeToken } = service();
    await expect(revocations.revokePresentedToken(caller, null)).resolves.toBeUndefined();
    expect(revokeToken).not.toHaveBeenCalled();
  });

  it.each([
    ['another client', 'm2mc_other'],
    ['no client_id claim', undefined],
  ])('refuses the token of %s with invalid_request', async (_case, clientId) => {
    const { revocations, revokeToken } = service();
    const error = await revocations
      .revokePresentedToken(caller, { ...own, clientId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).toBody()).toEqual({
      error: 'invalid_request',
      error_description: 'The token was not issued to this client.',
    });
    expect(revokeToken).not.toHaveBeenCalled();
  });
});
