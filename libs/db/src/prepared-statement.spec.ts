import { preparedStatement } from './prepared-statement';

describe('preparedStatement', () => {
  it('gives one name one text: a second text under a known name is a bug caught at load', () => {
    expect(preparedStatement('spec_select_one', 'SELECT 1')).toEqual({ name: 'spec_select_one', text: 'SELECT 1' });
    expect(preparedStatement('spec_select_one', 'SELECT 1').name).toBe('spec_select_one');
    expect(() => preparedStatement('spec_select_one', 'SELECT 2')).toThrow(/declared twice/);
  });
});
