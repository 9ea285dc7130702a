/**
 * Well-formed WS-Man requests with hostile values, for the AMT fuzz (amt-fuzz.ts strategy
 * `values`): a declared class, a real operation (Get, Enumerate with options, Pull, Release, Put,
 * Create, Delete, a declared or made-up method) and selectors, properties and inputs typed as
 * declared but valued badly (empty, huge, out of range, not numbers, broken base64, dates, EPRs,
 * arrays of hundreds). These reach dispatch and the class handlers, where a throw would show as
 * wsman:InternalError. Writes and methods never go to classes whose change would alter what the
 * robustness checks rely on (general settings, TLS, accounts, provisioning, power, time, redirection).
 */
import type { SeededRandom } from './random.js';
import { createAmtClassRegistry } from '../../src/amt/wsman/classes/index.js';
import type { PropertyDecl } from '../../src/amt/wsman/declaration.js';
import type { RegisteredClass } from '../../src/amt/wsman/registry.js';
import { ACTION, NS } from '../../src/amt/wsman/index.js';
import { envelope } from '../../src/amt/wsman/testing.js';

const READ_ONLY = new Set([
  'AMT_GeneralSettings', 'AMT_TLSSettingData', 'AMT_TLSCredentialContext', 'AMT_TLSProtocolEndpointCollection', 'AMT_AuthorizationService',
  'AMT_SetupAndConfigurationService', 'IPS_HostBasedSetupService', 'CIM_PowerManagementService', 'IPS_PowerManagementService',
  'AMT_TimeSynchronizationService', 'AMT_RedirectionService', 'CIM_KVMRedirectionSAP',
]);
const COMMON = 'http://schemas.dmtf.org/wbem/wscim/1/common';

let classes: readonly RegisteredClass[] | undefined;
const registry = (): readonly RegisteredClass[] => (classes ??= createAmtClassRegistry().classes);

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STRINGS = ['', ' ', 'x', 'a'.repeat(5000), '<&>"\'', '\u00e9\u4e2d\u{1f600}', 'Intel(r) AMT Certificate: Handle: 0', '../../etc', '%00', '\t\n', 'null', '-1'];
const NUMBERS = ['-1', '0', '1', '255', '256', '65535', '65536', '2147483648', '4294967295', '4294967296', '18446744073709551615', '18446744073709551616', '1e3', '0x10', ' 7 ', '', 'NaN', '+1', '1.5', '0'.repeat(400) + '1'];
const BOOLEANS = ['true', 'false', 'TRUE', '1', '0', 'maybe', ''];
const BASE64 = ['', '====', 'AAAA', '!!!', 'QUJD'.repeat(3000), 'MIIB', 'A', 'AA==AA=='];
const DATES = ['2024-01-01T00:00:00Z', '', 'yesterday', '9999-99-99T99:99:99Z', '1970-01-01T00:00:00-25:00', '-0001-01-01T00:00:00Z'];
const DURATIONS = ['P1D', 'PT0S', 'PT-1S', 'P99999999999999Y', 'garbage', '', 'P'];

/** The XML inside one property element. */
function valueXml(random: SeededRandom, property: PropertyDecl, depth = 0): string {
  switch (property.type) {
    case 'boolean': return random.pick(BOOLEANS);
    case 'uint8': case 'uint16': case 'uint32': case 'uint64': case 'sint32': return random.pick(NUMBERS);
    case 'base64': return random.pick(BASE64);
    case 'datetime': return random.int(4) === 0 ? escape(random.pick(DATES)) : `<c:Datetime xmlns:c="${COMMON}">${escape(random.pick(DATES))}</c:Datetime>`;
    case 'interval': return random.int(4) === 0 ? escape(random.pick(DURATIONS)) : `<c:Interval xmlns:c="${COMMON}">${escape(random.pick(DURATIONS))}</c:Interval>`;
    case 'epr': return eprXml(random);
    case 'instance': return depth > 1 || property.embedded === undefined ? escape(random.pick(STRINGS))
      : `<q:X xmlns:q="${property.embedded.resourceUri}">${propertiesXml(random, 'q', property.embedded.properties, depth + 1)}</q:X>`;
    default: return escape(random.pick(STRINGS));
  }
}

function eprXml(random: SeededRandom): string {
  if (random.int(4) === 0) return escape(random.pick(STRINGS));
  const target = random.pick(registry());
  const selectors = target.keys.map((key) => `<w:Selector Name="${key.name}">${escape(random.pick(STRINGS))}</w:Selector>`).join('');
  return `<a:Address xmlns:a="${NS.addressing}">${random.pick(['', `${NS.addressing}/role/anonymous`, 'http://h/wsman'])}</a:Address>`
    + `<a:ReferenceParameters xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}"><w:ResourceURI>${random.int(5) === 0 ? 'urn:nothing' : target.resourceUri}</w:ResourceURI>`
    + `<w:SelectorSet>${selectors}</w:SelectorSet></a:ReferenceParameters>`;
}

/** Some of `properties` (and a made-up one now and then), arrays repeated up to 300 times. */
function propertiesXml(random: SeededRandom, prefix: string, properties: readonly PropertyDecl[], depth = 0): string {
  const chosen = properties.filter(() => random.int(3) !== 0);
  if (random.int(5) === 0) chosen.push({ name: random.pick(['Unknown', 'InstanceID', 'ReturnValue', 'x']), type: 'string' });
  return chosen.map((property) => {
    const count = property.array === true ? random.pick([0, 1, 2, 50, 300]) : random.int(10) === 0 ? 2 : 1;
    return Array.from({ length: count }, () => `<${prefix}:${property.name}>${valueXml(random, property, depth)}</${prefix}:${property.name}>`).join('');
  }).join('');
}

function selectors(random: SeededRandom, cls: RegisteredClass): Record<string, string> | undefined {
  if (random.int(4) === 0) return undefined;
  const keys = cls.keys.filter(() => random.int(3) !== 0).map((key) => key.name);
  if (random.int(4) === 0) keys.push(random.pick(['Name', 'InstanceID', 'CreationClassName', 'Bogus']));
  return Object.fromEntries(keys.map((key) => [key, escape(random.pick(STRINGS))]));
}

/** A class that declares `operation` (mostly; any class now and then); writes and methods never on READ_ONLY classes. */
function classFor(random: SeededRandom, operation: string): RegisteredClass {
  const reads = operation === 'get' || operation === 'enumerate' || operation === 'pull' || operation === 'release';
  const allowed = registry().filter((c) => reads || !READ_ONLY.has(c.declaration.name));
  const declaring = allowed.filter((c) => (operation === 'invoke' ? c.declaration.methods.length > 0 : c.declaration.operations[operation as 'get'] !== undefined));
  return random.pick(declaring.length > 0 && random.int(6) !== 0 ? declaring : allowed.filter((c) => operation !== 'invoke' || c.declaration.methods.length > 0));
}

const ENUMERATION_OPTIONS = ['', `<w:OptimizeEnumeration xmlns:w="${NS.wsman}"/>`, `<w:MaxElements xmlns:w="${NS.wsman}">${'9'.repeat(20)}</w:MaxElements>`, `<w:EnumerationMode xmlns:w="${NS.wsman}">EnumerateObjectAndEPR</w:EnumerationMode>`, `<w:EnumerationMode xmlns:w="${NS.wsman}">Bogus</w:EnumerationMode>`, `<w:Filter xmlns:w="${NS.wsman}" Dialect="urn:x">x</w:Filter>`];
const CONTEXTS = ['', '01000000-0000-0000-0000-000000000000', 'FFFFFFFF-0000-0000-0000-000000000000', 'x'.repeat(3000), '<&>'];

/** One well-formed request with hostile values; `operation` names it in the outcome table. */
export function valuesCase(random: SeededRandom): { operation: string; body: string } {
  const operation = random.pick(['get', 'enumerate', 'pull', 'release', 'put', 'create', 'delete', 'invoke', 'invoke']);
  const cls = classFor(random, operation);
  const declaration = cls.declaration;
  const uri = cls.resourceUri;
  const withSelectors = (o: { action: string; body?: string }): string => {
    const chosen = selectors(random, cls);
    return envelope({ ...o, resourceUri: uri, ...(chosen ? { selectors: chosen } : {}) });
  };
  switch (operation) {
    case 'get': case 'delete': return { operation, body: withSelectors({ action: operation === 'get' ? ACTION.get : ACTION.delete }) };
    case 'enumerate': return { operation, body: envelope({ action: ACTION.enumerate, resourceUri: uri, body: `<Enumerate xmlns="${NS.enumeration}">${random.pick(ENUMERATION_OPTIONS)}${random.pick(ENUMERATION_OPTIONS)}</Enumerate>` }) };
    case 'pull': case 'release': {
      const max = random.int(2) === 0 ? '' : `<MaxElements>${escape(random.pick(NUMBERS))}</MaxElements>`;
      const name = operation === 'pull' ? 'Pull' : 'Release';
      return { operation, body: envelope({ action: operation === 'pull' ? ACTION.pull : ACTION.release, resourceUri: uri, body: `<${name} xmlns="${NS.enumeration}"><EnumerationContext>${escape(random.pick(CONTEXTS))}</EnumerationContext>${max}</${name}>` }) };
    }
    case 'put': case 'create': {
      const instance = `<h:${declaration.name} xmlns:h="${uri}">${propertiesXml(random, 'h', declaration.properties)}</h:${declaration.name}>`;
      return { operation, body: withSelectors({ action: operation === 'put' ? ACTION.put : ACTION.create, body: instance }) };
    }
    default: {
      const method = random.int(8) !== 0 ? random.pick(declaration.methods) : { name: 'Bogus', inputs: [] as PropertyDecl[] };
      const input = `<h:${method.name}_INPUT xmlns:h="${uri}">${propertiesXml(random, 'h', method.inputs)}</h:${method.name}_INPUT>`;
      return { operation: `invoke ${method.name === 'Bogus' ? 'unknown' : 'declared'}`, body: withSelectors({ action: `${uri}/${method.name}`, body: input }) };
    }
  }
}
