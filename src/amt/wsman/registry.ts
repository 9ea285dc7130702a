/**
 * The class registry: every declaration checked once when the layer starts (lesson 12), then
 * looked up by ResourceURI. A bad declaration throws VME_ERR_WSMAN_DECLARATION at once.
 */
import { VmeError } from '../../common/errors.js';
import { OPERATION_NAMES, type ClassDeclaration, type PropertyDecl, type PropertyType } from './declaration.js';
import { SCHEMA_BASE } from './namespaces.js';
import { isRealmName } from './realms.js';

export interface RegisteredClass {
  readonly declaration: ClassDeclaration;
  /** ResourceURI = element namespace of its instances. */
  readonly resourceUri: string;
  /** Key properties, in declaration order. */
  readonly keys: readonly PropertyDecl[];
}

export interface ClassRegistry {
  readonly classes: readonly RegisteredClass[];
  byUri(resourceUri: string): RegisteredClass | undefined;
}

const TYPES: ReadonlySet<PropertyType> = new Set(['string', 'boolean', 'uint8', 'uint16', 'uint32', 'uint64', 'sint32', 'base64', 'datetime', 'interval', 'epr', 'instance']);
/** Types written with the wscim common prefix (h in Get/Put, i in Pull). */
const COMMON_TYPES: ReadonlySet<PropertyType> = new Set(['datetime', 'interval']);

/** Where a property list sits: only method inputs may hold an embedded instance (read, never written). */
type PropertyPlace = 'property' | 'input' | 'output' | 'embedded';

/** @throws VmeError VME_ERR_WSMAN_DECLARATION for the first problem found. */
export function createClassRegistry(declarations: readonly ClassDeclaration[]): ClassRegistry {
  const byUri = new Map<string, RegisteredClass>();
  for (const declaration of declarations) {
    checkDeclaration(declaration);
    const resourceUri = SCHEMA_BASE[declaration.schema] + declaration.name;
    if (byUri.has(resourceUri)) fail(declaration.name, 'declared twice');
    byUri.set(resourceUri, { declaration, resourceUri, keys: declaration.properties.filter((p) => p.key) });
  }
  const classes = [...byUri.values()];
  return { classes, byUri: (uri) => byUri.get(uri) };
}

function fail(className: string, problem: string): never {
  throw new VmeError('VME_ERR_WSMAN_DECLARATION', `WS-Man class ${className}: ${problem}`, { class: className });
}

function checkDeclaration(declaration: ClassDeclaration): void {
  const name = declaration.name;
  if (!/^(AMT|CIM|IPS)_[A-Za-z0-9]+$/.test(name) || !name.startsWith(`${declaration.schema}_`)) fail(name, 'name does not match its schema');
  checkProperties(name, 'property', declaration.properties, 'property');
  if (!declaration.commonNamespace && declaration.properties.some((p) => COMMON_TYPES.has(p.type))) {
    fail(name, 'has datetime/interval properties but does not declare the common namespace (commonNamespace)');
  }
  for (const operation of OPERATION_NAMES) {
    const realms = declaration.operations[operation]?.realms;
    if (realms !== undefined) checkRealms(name, operation, realms);
  }
  const methods = new Set<string>();
  for (const method of declaration.methods) {
    if (methods.has(method.name)) fail(name, `method ${method.name} declared twice`);
    methods.add(method.name);
    checkRealms(name, method.name, method.realms);
    checkProperties(name, `${method.name} input`, method.inputs, 'input');
    checkProperties(name, `${method.name} output`, method.outputs, 'output');
    if (method.returnValues[0] === undefined) fail(name, `${method.name} does not declare ReturnValue 0`);
    if (method.outputs.some((p) => p.name === 'ReturnValue')) fail(name, `${method.name} lists ReturnValue among its outputs`);
  }
}

function checkProperties(className: string, what: string, properties: readonly PropertyDecl[], place: PropertyPlace): void {
  const seen = new Set<string>();
  for (const property of properties) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(property.name)) fail(className, `${what} name "${property.name}" is not an XML name`);
    if (seen.has(property.name)) fail(className, `${what} ${property.name} declared twice`);
    if (!TYPES.has(property.type)) fail(className, `${what} ${property.name} has unknown type ${String(property.type)}`);
    seen.add(property.name);
    checkEmbedded(className, `${what} ${property.name}`, property, place);
  }
}

/** `instance` only as a (non-array) method input, always with its embedded class, one level deep. */
function checkEmbedded(className: string, what: string, property: PropertyDecl, place: PropertyPlace): void {
  if (property.type !== 'instance') {
    if (property.embedded !== undefined) fail(className, `${what} declares an embedded class but is not of type instance`);
    return;
  }
  if (place !== 'input') fail(className, `${what} is an embedded instance, allowed only as a method input`);
  if (property.array) fail(className, `${what} is an array of embedded instances (not supported)`);
  const embedded = property.embedded;
  if (embedded === undefined) fail(className, `${what} is of type instance but declares no embedded class`);
  if (!/^https?:\/\/\S+$/.test(embedded.resourceUri)) fail(className, `${what}: embedded class namespace "${embedded.resourceUri}" is not a URI`);
  checkProperties(className, `${what} (embedded)`, embedded.properties, 'embedded');
}

function checkRealms(className: string, operation: string, realms: readonly string[]): void {
  if (realms.length === 0) fail(className, `${operation} requires no realm (every operation needs one)`);
  for (const realm of realms) if (!isRealmName(realm)) fail(className, `${operation} names unknown realm "${realm}"`);
}
