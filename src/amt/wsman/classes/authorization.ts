/**
 * AMT_AuthorizationService (brief §3.1): the service instance only. The ACL methods
 * (EnumerateUserAclEntries, Get/Add/Update/RemoveUserAclEntryEx, Get/SetAdminAclEntryEx, ...) come
 * with the AMT app's user table. Order as in `amt/authorization/get.xml`.
 */
import type { ClassDeclaration } from '../declaration.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';

const NAME = 'Intel(r) AMT Authorization Service';

export const AMT_AUTHORIZATION_SERVICE: ClassDeclaration = {
  name: 'AMT_AuthorizationService',
  schema: 'AMT',
  summary: 'User ACL service (instance only; ACL methods pending).',
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
  methods: [],
};
