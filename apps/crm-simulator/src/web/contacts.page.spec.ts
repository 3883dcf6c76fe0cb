import { escapeHtml } from './contacts.page';

describe(escapeHtml.name, () => {
  it('escapes markup and quotes so stored values cannot inject HTML', () => {
    expect(escapeHtml(`<b onclick="x">'&'</b>`)).toBe(
      '&#60;b onclick=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/b&#62;',
    );
  });
});
