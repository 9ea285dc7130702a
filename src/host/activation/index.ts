/** Host-side AMT activation (what rpc-go does locally): credentials over PTHI, Setup through LMS, the kept admin password. */
export { activateLocally, type LocalActivationOptions, type LocalActivationResult } from './activate-local.js';
export { ADMIN_PASSWORD_FILE, generateAdminPassword, loadOrCreateAdminPassword } from './admin-password.js';
export { readLocalAmtFacts, type LocalAmtFacts } from './local-account.js';
