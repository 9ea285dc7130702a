/**
 * docs/reference/wsman.md, generated from the class declarations (a test keeps the file in step):
 * one section per class with its ResourceURI, operations and realms, properties in wire order,
 * and methods with inputs, outputs and ReturnValues.
 */
import { OPERATION_NAMES, type ClassDeclaration, type MethodDecl, type PropertyDecl } from './declaration.js';
import { AMT_REALMS, type RealmName } from './realms.js';
import type { ClassRegistry, RegisteredClass } from './registry.js';

const realmList = (realms: readonly RealmName[]): string => realms.map((r) => `${r} (${AMT_REALMS[r]})`).join(' or ');

/** A property's type; an embedded instance names its class and lists what is read of it. */
function typeText(property: PropertyDecl): string {
  const embedded = property.embedded;
  if (property.type !== 'instance' || embedded === undefined) return property.type;
  const inner = embedded.properties.map((p) => `${p.name}: ${typeText(p)}`).join(', ');
  return `instance of ${embedded.resourceUri.slice(embedded.resourceUri.lastIndexOf('/') + 1)} { ${inner} }`;
}

function propertyRow(property: PropertyDecl): string {
  const flags = [property.key ? 'key' : '', property.writable ? 'writable' : '', property.array ? 'array' : '', property.required ? 'required' : ''].filter(Boolean).join(', ');
  return `| ${property.name} | ${typeText(property)} | ${flags} |`;
}

function operationsTable(declaration: ClassDeclaration): string[] {
  const rows = OPERATION_NAMES.flatMap((op) => {
    const decl = declaration.operations[op];
    return decl ? [`| ${op === 'enumerate' ? 'Enumerate / Pull / Release' : op[0]?.toUpperCase() + op.slice(1)} | ${realmList(decl.realms)} |`] : [];
  });
  return ['| Operation | Realm required |', '|---|---|', ...rows, ...declaration.methods.map((m) => `| ${m.name} (method) | ${realmList(m.realms)} |`)];
}

function methodSection(method: MethodDecl): string[] {
  const params = (list: readonly PropertyDecl[]): string => list.map((p) => `${p.name}: ${typeText(p)}${p.array ? '[]' : ''}${p.required ? ' (required)' : ''}`).join(', ') || 'none';
  const codes = Object.entries(method.returnValues).map(([code, meaning]) => `${code} ${meaning}`).join('; ');
  return [`- **${method.name}** — inputs: ${params(method.inputs)}; outputs: ${params(method.outputs)}; ReturnValue: ${codes}.`];
}

function classSection(cls: RegisteredClass): string[] {
  const d = cls.declaration;
  return [
    `## ${d.name}`, '', d.summary, '', `ResourceURI: \`${cls.resourceUri}\``, '',
    ...operationsTable(d), '',
    '| Property | Type | Flags |', '|---|---|---|', ...d.properties.map(propertyRow), '',
    ...(d.methods.length > 0 ? ['Methods:', '', ...d.methods.flatMap(methodSection), ''] : []),
  ];
}

export function renderWsmanReference(registry: ClassRegistry): string {
  const classes = [...registry.classes].sort((a, b) => a.declaration.name.localeCompare(b.declaration.name));
  return [
    '# WS-Management classes', '',
    'Generated from the class declarations in `src/amt/wsman/classes/` by `renderWsmanReference`; a test',
    'keeps this file in step. Properties are listed in the order AMT writes them. The caller needs one of',
    'the listed realms (AMT_AuthorizationService realm numbers in parentheses); otherwise the reply is the',
    '`wsman:AccessDenied` fault. Types: `datetime` and `interval` are the wscim common `Datetime` and',
    '`Interval` (an xs:duration such as `P1DT2H30M`) inside the property element; `instance of C { … }`',
    'is an embedded instance of class C (method inputs only) with the properties read from it.',
    'See docs/design/0008-wsman.md.', '',
    ...classes.flatMap(classSection),
  ].join('\n');
}
