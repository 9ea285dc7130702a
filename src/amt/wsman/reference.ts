/**
 * docs/reference/wsman.md, generated from the class declarations (a test keeps the file in step):
 * one section per class with its ResourceURI, operations and realms, properties in wire order,
 * and methods with inputs, outputs and ReturnValues.
 */
import { OPERATION_NAMES, type ClassDeclaration, type MethodDecl, type PropertyDecl } from './declaration.js';
import { AMT_REALMS, type RealmName } from './realms.js';
import type { ClassRegistry, RegisteredClass } from './registry.js';

const realmList = (realms: readonly RealmName[]): string => realms.map((r) => `${r} (${AMT_REALMS[r]})`).join(' or ');

function propertyRow(property: PropertyDecl): string {
  const flags = [property.key ? 'key' : '', property.writable ? 'writable' : '', property.array ? 'array' : '', property.required ? 'required' : ''].filter(Boolean).join(', ');
  return `| ${property.name} | ${property.type} | ${flags} |`;
}

function operationsTable(declaration: ClassDeclaration): string[] {
  const rows = OPERATION_NAMES.flatMap((op) => {
    const decl = declaration.operations[op];
    return decl ? [`| ${op === 'enumerate' ? 'Enumerate / Pull / Release' : op[0]?.toUpperCase() + op.slice(1)} | ${realmList(decl.realms)} |`] : [];
  });
  return ['| Operation | Realm required |', '|---|---|', ...rows, ...declaration.methods.map((m) => `| ${m.name} (method) | ${realmList(m.realms)} |`)];
}

function methodSection(method: MethodDecl): string[] {
  const params = (list: readonly PropertyDecl[]): string => list.map((p) => `${p.name}: ${p.type}${p.array ? '[]' : ''}${p.required ? ' (required)' : ''}`).join(', ') || 'none';
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
    '`wsman:AccessDenied` fault. See docs/design/0008-wsman.md.', '',
    ...classes.flatMap(classSection),
  ].join('\n');
}
