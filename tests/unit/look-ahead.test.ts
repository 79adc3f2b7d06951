import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldsUnder, selectedFields } from '../../src/execution/look-ahead.js';

function fieldsOf(text: string) {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { fields: selectedFields([operation.selectionSet], fragments), fragments };
}

describe('selectedFields', () => {
  it('names fields by name, not alias, through inline fragments and spreads, and merges what is under them', () => {
    const { fields, fragments } = fieldsOf(`
      query { a: task { id } task { topic ...More } ... on Query { viewer { id } } }
      fragment More on Task { status media: video { url } ...Deeper }
      fragment Deeper on Task { video { width } }`);
    expect([...fields.keys()].sort()).toEqual(['task', 'viewer']);
    const task = fieldsUnder(fields, 'task', fragments);
    expect([...task.keys()].sort()).toEqual(['id', 'status', 'topic', 'video']);
    expect([...fieldsUnder(task, 'video', fragments).keys()].sort()).toEqual(['url', 'width']);
  });

  it('counts a field under @skip or @include as asked, and answers nothing under a field not asked', () => {
    const { fields, fragments } = fieldsOf('query($x: Boolean!) { task { id @skip(if: $x) topic @include(if: $x) } }');
    expect([...fieldsUnder(fields, 'task', fragments).keys()].sort()).toEqual(['id', 'topic']);
    expect(fieldsUnder(fields, 'missing', fragments).size).toBe(0);
  });
});
