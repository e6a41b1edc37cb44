// The welcome view of an empty chat: what Fox Chat can do, where it is connected (profile, model),
// questions to start with (a click puts one into the composer), the main keybindings, a way to the
// Get Started walkthrough, and Set API Key right here when the profile has no key yet.
import type { WelcomeView } from '../protocol';
import type { Post } from './host';
import { icon } from './icons';
import type { L10n } from './l10n';

export interface Welcome {
  applyStrings(): void;
  setModel(model: string): void;
  setWelcome(welcome: WelcomeView): void;
}

export interface WelcomeOptions {
  readonly post: Post;
  readonly l10n: L10n;
  /** Puts a suggested question into the composer (not sent: the user may change it first). */
  readonly fillComposer: (text: string) => void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.className = className;
  if (text !== undefined) {
    created.textContent = text;
  }
  return created;
}

/** `root` holds `.empty-title` and `.empty-hint` (webviewHtml.ts); the rest is built here. */
export function createWelcome(root: HTMLElement, options: WelcomeOptions): Welcome {
  const { post, l10n, fillComposer } = options;
  const { t } = l10n;
  let model = '';
  let welcome: WelcomeView | undefined;

  const title = root.querySelector('.empty-title') as HTMLElement;
  const hint = root.querySelector('.empty-hint') as HTMLElement;
  title.id = 'welcome-title';
  root.setAttribute('role', 'region');
  root.setAttribute('aria-labelledby', title.id);

  const logo = element('div', 'welcome-logo');
  logo.append(icon('fox'));
  const intro = element('p', 'welcome-intro');
  const features = element('ul', 'welcome-features');
  const connection = element('p', 'welcome-connection');
  const keyBox = element('div', 'welcome-key');
  keyBox.setAttribute('role', 'alert');
  const suggestionsLabel = element('h2', 'welcome-section');
  suggestionsLabel.id = 'welcome-suggestions-label';
  const suggestions = element('ul', 'welcome-suggestions');
  suggestions.setAttribute('aria-labelledby', suggestionsLabel.id);
  const keysLabel = element('h2', 'welcome-section');
  keysLabel.id = 'welcome-keys-label';
  const keys = element('dl', 'welcome-keys');
  keys.setAttribute('aria-labelledby', keysLabel.id);
  const getStarted = element('button', 'welcome-link');
  getStarted.type = 'button';
  getStarted.dataset.action = 'openWalkthrough';
  getStarted.addEventListener('click', () => post({ type: 'openWalkthrough' }));

  // Title first; the key problem right under it, where it is seen before anything is typed.
  title.before(logo);
  title.after(intro, features, connection, keyBox, suggestionsLabel, suggestions, keysLabel, keys);
  hint.after(getStarted);

  function renderConnection(): void {
    const parts: string[] = [];
    if (welcome && welcome.profile.length > 0) {
      parts.push(t('welcomeProfile', welcome.profile));
    }
    if (model.length > 0) {
      parts.push(t('welcomeModel', model));
    }
    connection.textContent = parts.join(' · ');
    connection.hidden = parts.length === 0;
  }

  function renderKeyBox(): void {
    keyBox.replaceChildren();
    keyBox.hidden = welcome?.needsApiKey !== true;
    if (!welcome?.needsApiKey) {
      return;
    }
    const setKey = element('button', 'welcome-set-key');
    setKey.type = 'button';
    setKey.dataset.action = 'setApiKey';
    setKey.append(icon('key'), l10n.strings?.actionLabels.setApiKey ?? 'setApiKey');
    setKey.addEventListener('click', () => post({ type: 'errorAction', action: 'setApiKey' }));
    keyBox.append(element('p', 'welcome-key-text', t('welcomeNoKey', welcome.profile)), setKey);
  }

  return {
    applyStrings() {
      const strings = l10n.strings;
      title.textContent = t('emptyTitle');
      hint.textContent = t('emptyHint');
      intro.textContent = t('welcomeIntro');
      features.replaceChildren(...(strings?.welcomeFeatures ?? []).map((feature) => element('li', 'welcome-feature', feature)));
      suggestionsLabel.textContent = t('welcomeSuggestionsLabel');
      suggestions.replaceChildren(
        ...(strings?.welcomeSuggestions ?? []).map((question) => {
          const item = element('li', 'welcome-suggestion-item');
          const button = element('button', 'welcome-suggestion');
          button.type = 'button';
          button.append(icon('sparkle'), question);
          // A button: Enter and Space click it too.
          button.addEventListener('click', () => fillComposer(question));
          item.append(button);
          return item;
        }),
      );
      keysLabel.textContent = t('welcomeKeysLabel');
      keys.replaceChildren(
        ...(strings?.welcomeKeys ?? []).map((binding) => {
          // A <div> may group a term with its description inside a <dl>.
          const row = element('div', 'welcome-key-row');
          const combo = element('dd', 'welcome-key-combo');
          binding.keys.split(' / ').forEach((keys, index) => {
            combo.append(...(index > 0 ? [' / '] : []), element('kbd', '', keys));
          });
          row.append(element('dt', 'welcome-key-label', binding.label), combo);
          return row;
        }),
      );
      getStarted.replaceChildren(icon('book'), t('welcomeGetStarted'));
      renderConnection();
      renderKeyBox();
    },
    setModel(next) {
      model = next;
      renderConnection();
    },
    setWelcome(next) {
      welcome = next;
      renderConnection();
      renderKeyBox();
    },
  };
}
