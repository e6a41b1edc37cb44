import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import type { JsonAnswerCheck, ToolCallState } from '../../src/chat/conversation';
import type { JsonAnswerView, ToolCallState as ToolCallStateView } from '../../src/protocol';

// The domain (chat/) owns its state types and the view contract declares its own; the panel maps one
// to the other. These fail to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const toolStatesMatch: Same<ToolCallState, ToolCallStateView> = true;
const jsonChecksMatch: Same<Required<JsonAnswerCheck>, Required<JsonAnswerView>> = true;

const root = join(__dirname, '..', '..', '..');
const source = (file: string): ts.SourceFile => ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);

/** The `type` literals of a discriminated union declared in src/protocol.ts. */
function messageTypes(unionName: string): string[] {
  const protocol = source('src/protocol.ts');
  const alias = protocol.statements.find((statement): statement is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(statement) && statement.name.text === unionName);
  assert.ok(alias && ts.isUnionTypeNode(alias.type), `${unionName} is a union`);
  return alias.type.types.map((member) => {
    assert.ok(ts.isTypeLiteralNode(member), `${unionName} members are object types`);
    const type = member.members.find((property) => property.name?.getText(protocol) === 'type');
    assert.ok(type && ts.isPropertySignature(type) && type.type && ts.isLiteralTypeNode(type.type) && ts.isStringLiteral(type.type.literal));
    return type.type.literal.text;
  });
}

/** The `case '...':` labels of every switch over `message.type` in a file. */
function handledTypes(file: string): string[] {
  const tree = source(file);
  const handled: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isSwitchStatement(node) && node.expression.getText(tree) === 'message.type') {
      for (const clause of node.caseBlock.clauses) {
        if (ts.isCaseClause(clause) && ts.isStringLiteral(clause.expression)) {
          handled.push(clause.expression.text);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return handled;
}

/** The keys of the handler map a file passes to `connectHost(...)` (the webview's one receiver of host messages). */
function handlerMapKeys(file: string): string[] {
  const tree = source(file);
  const keys: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(tree) === 'connectHost') {
      const map = node.arguments.find(ts.isObjectLiteralExpression);
      assert.ok(map, 'connectHost is given its handler map as an object literal');
      for (const property of map.properties) {
        assert.ok(property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)), 'handler keys are plain names');
        keys.push(property.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return keys;
}

describe('the webview protocol', () => {
  it('mirrors the domain state types it shows (checked by the compiler)', () => {
    assert.deepEqual([toolStatesMatch, jsonChecksMatch], [true, true]);
  });

  it('has unique message types both ways', () => {
    for (const union of ['HostToWebview', 'WebviewToHost']) {
      const types = messageTypes(union);
      assert.ok(types.length > 5, union);
      assert.equal(new Set(types).size, types.length, `${union} repeats a type`);
    }
  });

  it('every message the host can send is handled by the webview, and nothing else', () => {
    // The compiler already proves this (HostHandlers is mapped from HostToWebview); this names what is missing.
    assert.deepEqual([...handlerMapKeys('src/webview/main.ts')].sort(), messageTypes('HostToWebview').sort());
  });

  it('every message the webview can send is handled by the panel, and nothing else', () => {
    assert.deepEqual([...handledTypes('src/panel/chatViewProvider.ts')].sort(), messageTypes('WebviewToHost').sort());
  });

  it('both sides import the contract rather than declaring their own', () => {
    for (const file of ['src/webview/main.ts', 'src/panel/chatViewProvider.ts']) {
      const text = readFileSync(join(root, file), 'utf8');
      assert.match(text, /from '\.\.\/protocol'/, file);
      assert.doesNotMatch(text, /type (HostToWebview|WebviewToHost)\s*=/, `${file} declares its own copy`);
    }
  });
});
