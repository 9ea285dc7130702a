/**
 * AMT_AuthorizationService (brief §3.1): the service instance (order as in
 * `amt/authorization/get.xml`) and the ACL methods over the account table
 * (authorization-methods.ts, src/amt/accounts).
 */
import type { ClassDeclaration } from '../declaration.js';
import { AUTHORIZATION_METHODS } from './authorization-methods.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';

const NAME = 'Intel(r) AMT Authorization Service';

export const AMT_AUTHORIZATION_SERVICE: ClassDeclaration = {
  name: 'AMT_AuthorizationService',
  schema: 'AMT',
  summary: 'User ACL service: the admin entry and up to seven Digest user entries (the account table).',
  commonNamespace: true,
  properties: [
    { name: 'AllowHttpQopAuthOnly', type: 'uint32' }, SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' },
    { name: 'EnabledState', type: 'uint16' }, SERVICE_KEYS.Name, { name: 'RequestedState', type: 'uint16' },
    SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: () => [{ ...amtServiceKeys('AMT_AuthorizationService', NAME), AllowHttpQopAuthOnly: 1, ElementName: NAME, EnabledState: 5, RequestedState: 12 }],
  operations: {
    get: { realms: REALMS.administration },
    enumerate: { realms: REALMS.administration },
  },
  methods: AUTHORIZATION_METHODS,
};
