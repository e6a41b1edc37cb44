import { strict as assert } from 'node:assert';
import { acceptedModel } from '../../../src/config/modelChoice';

describe('acceptedModel (Select Model quick pick)', () => {
  it('takes the selected item when nothing was typed', () => {
    assert.equal(acceptedModel('anthropic/claude-sonnet-4.5', ''), 'anthropic/claude-sonnet-4.5');
  });

  it('takes the selected item when the typed text could have shown it', () => {
    assert.equal(acceptedModel('openai/gpt-4o-mini', 'gpt-4o-mini'), 'openai/gpt-4o-mini');
    assert.equal(acceptedModel('openai/gpt-4o-mini', 'GPT4omini'), 'openai/gpt-4o-mini');
  });

  it('takes the typed id when the host re-selected an item the typed filter hides (model list arrived late)', () => {
    assert.equal(acceptedModel('anthropic/claude-sonnet-4.5', 'gpt-4o-mini'), 'gpt-4o-mini');
  });

  it('takes the typed id when nothing is selected, and nothing when nothing was typed either', () => {
    assert.equal(acceptedModel(undefined, '  my-local-model '), 'my-local-model');
    assert.equal(acceptedModel(undefined, '   '), undefined);
  });
});
