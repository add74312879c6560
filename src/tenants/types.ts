/** A tenant as the API and the job service see it (taken from the credential of each request). */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** IANA zone in which the tenant's datetimes and `incrementalTime` are read and written. */
  readonly timeZone: string;
  /** Whether stateful full loads are split into segment files. */
  readonly segments: boolean;
  /** Fingerprint of the OpenPGP public key result files are encrypted to, when one is registered. */
  readonly pgpFingerprint?: string;
}

/** The credentials of a tenant, in clear: shown once, when they are issued. */
export interface TenantCredentials {
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An OAuth access token just issued. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly jti: string;
  readonly expiresIn: number;
  readonly scope: string;
}

/** A tenant management request that cannot be carried out (duplicate name, bad zone...). */
export class TenantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantError';
  }
}
