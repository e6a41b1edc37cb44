// A tool call in the transcript: a card that folds, with Allow / Deny while the call waits for approval.
import type { ToolMessageView } from '../../protocol';
import type { Post } from '../host';
import type { L10n } from '../l10n';
import { icon } from '../icons';
import { textSpan } from './elements';

/** The tools codicon, a little smaller than the text beside it. */
function toolGlyph(): SVGElement {
  const glyph = icon('tools');
  glyph.classList.add('tool-glyph');
  glyph.setAttribute('width', '14');
  glyph.setAttribute('height', '14');
  return glyph;
}

/** Arguments are shown pretty-printed when they are JSON, and as the model sent them when not. */
function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function toolSection(label: string, className: string, text: string, truncated: boolean): HTMLElement {
  const section = document.createElement('div');
  section.className = 'tool-section';
  const heading = document.createElement('div');
  heading.className = 'tool-section-label';
  heading.textContent = label;
  const pre = document.createElement('pre');
  pre.className = className;
  pre.textContent = text;
  if (truncated) {
    pre.append(textSpan('tool-truncated', '…'));
  }
  section.append(heading, pre);
  return section;
}

export interface ToolCards {
  /** A new card for `message`. */
  render(message: ToolMessageView): HTMLElement;
  /** Refills `card` in place on toolUpdated; takes focus to Allow when the call starts waiting (see focusApproval). */
  update(card: HTMLElement, message: ToolMessageView): void;
  /**
   * Moves focus to a card's Allow button only when focus is nowhere in particular. Never out of the
   * composer, even an empty one: the next keystroke, meant for a message, would land on the button,
   * and Enter would allow a tool that writes. From the composer, Shift+Tab reaches the buttons.
   */
  focusApproval(card: HTMLElement): void;
  /** The card `id` is gone from the conversation. */
  forget(id: string): void;
}

/** `transcript` is the element that holds the cards: focus there counts as nowhere in particular. */
export function createToolCards(options: { post: Post; l10n: L10n; transcript: HTMLElement }): ToolCards {
  const { post, l10n, transcript } = options;
  const { t } = l10n;
  /** Tool calls answered from here, so a card rebuilt while still waiting does not ask again. */
  const approvalsSent = new Set<string>();

  /** Fills (or refills, on toolUpdated) a card in place, so focus and the <details> element survive. */
  function fill(card: HTMLElement, message: ToolMessageView): void {
    const previous = card.dataset.state;
    card.dataset.state = message.state;
    card.dataset.tool = message.name;
    card.setAttribute('aria-label', t('toolLabel', message.name));

    const details = card.querySelector('details.tool-details') as HTMLDetailsElement;
    const summary = details.querySelector('summary') as HTMLElement;
    const parts: Element[] = [toolGlyph(), textSpan('tool-name', message.name)];
    if (message.summary.length > 0) {
      parts.push(textSpan('tool-text', message.summary));
    }
    parts.push(textSpan(`tool-state tool-state-${message.state}`, l10n.strings?.toolStates[message.state] ?? message.state));
    summary.replaceChildren(...parts);

    const sections: HTMLElement[] = [];
    if (message.arguments.trim().length > 0) {
      sections.push(toolSection(t('toolArguments'), 'tool-arguments', prettyArguments(message.arguments), false));
    }
    if (message.resultPreview !== undefined) {
      sections.push(toolSection(t('toolResult'), 'tool-result', message.resultPreview, message.resultTruncated === true));
    }
    (details.querySelector('.tool-body') as HTMLElement).replaceChildren(...sections);

    if (previous !== undefined && previous !== message.state && card.dataset.userToggled !== 'true') {
      details.open = message.state === 'awaitingApproval';
    }
    renderApproval(card, message);
  }

  /** Allow / Deny while the call waits; each card answers once, then its buttons disable themselves. */
  function renderApproval(card: HTMLElement, message: ToolMessageView): void {
    card.querySelector('.tool-approval')?.remove();
    if (message.state !== 'awaitingApproval') {
      return;
    }
    const bar = document.createElement('div');
    bar.className = 'tool-approval';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', t('toolLabel', message.name));
    const buttons: HTMLButtonElement[] = [];
    const answer = (approved: boolean): void => {
      if (approvalsSent.has(message.id)) {
        return;
      }
      approvalsSent.add(message.id);
      // A disabled button drops focus to the page; keep keyboard users on this card instead.
      const hadFocus = bar.contains(document.activeElement);
      buttons.forEach((button) => (button.disabled = true));
      post({ type: 'toolApproval', messageId: message.id, approved });
      if (hadFocus) {
        card.querySelector<HTMLElement>('summary')?.focus();
      }
    };
    for (const [action, approved] of [['allow', true], ['deny', false]] as const) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.action = action;
      button.textContent = t(action);
      button.disabled = approvalsSent.has(message.id);
      button.addEventListener('click', () => answer(approved));
      buttons.push(button);
    }
    bar.append(...buttons);
    card.append(bar);
  }

  function focusApproval(card: HTMLElement): void {
    const active = document.activeElement;
    if (active === null || active === document.body || active === transcript) {
      card.querySelector<HTMLButtonElement>('.tool-approval [data-action="allow"]:not(:disabled)')?.focus();
    }
  }

  return {
    /** A tool call as a card that folds; open by default only while it waits for Allow / Deny. */
    render(message) {
      const card = document.createElement('article');
      card.className = 'message tool-card';
      card.dataset.id = message.id;
      card.dataset.role = 'tool';
      const details = document.createElement('details');
      details.className = 'tool-details';
      details.open = message.state === 'awaitingApproval';
      const summary = document.createElement('summary');
      summary.className = 'tool-summary';
      // Activating the summary (a click, or Enter / Space, which the browser turns into one) is the
      // user's choice of open or closed: from then on updates leave it as it is.
      summary.addEventListener('click', () => {
        card.dataset.userToggled = 'true';
      });
      const body = document.createElement('div');
      body.className = 'tool-body';
      details.append(summary, body);
      card.append(details);
      fill(card, message);
      return card;
    },
    update(card, message) {
      const wasWaiting = card.dataset.state === 'awaitingApproval';
      fill(card, message);
      if (!wasWaiting && message.state === 'awaitingApproval') {
        focusApproval(card);
      }
    },
    focusApproval,
    forget(id) {
      approvalsSent.delete(id);
    },
  };
}
