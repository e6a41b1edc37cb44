// The panel's header: the model button (shows the current model, opens the model picker) and the
// gateway origin beside it, so a workspace that redirects requests cannot do it unseen.
import type { Post } from './host';
import type { Translate } from './l10n';

export interface Header {
  applyStrings(): void;
  setModel(model: string): void;
  setGateway(origin: string): void;
}

export function createHeader(modelLabel: HTMLElement, gatewayLabel: HTMLElement, options: { post: Post; t: Translate }): Header {
  const { post, t } = options;
  modelLabel.addEventListener('click', () => post({ type: 'selectModel' }));
  return {
    applyStrings() {
      modelLabel.title = t('selectModel');
      modelLabel.setAttribute('aria-label', t('selectModel'));
    },
    setModel(model) {
      modelLabel.textContent = model;
    },
    setGateway(origin) {
      gatewayLabel.textContent = origin;
      gatewayLabel.title = t('gateway', origin);
      gatewayLabel.hidden = origin === '';
    },
  };
}
