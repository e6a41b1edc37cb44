// The meta line under an answer: compact and subdued (tokens, time to first token, cost), with the
// full figures (finish reason, prompt + completion tokens, ...) shown on hover or keyboard focus.
import type { AssistantMessageView } from '../../protocol';
import type { Translate } from '../l10n';

/** What the meta line can show; each field only when the gateway reported it. */
export interface MetaFields {
  readonly finishReason?: string;
  readonly usage?: { readonly prompt: number; readonly completion: number; readonly total: number };
  readonly reasoningTokens?: number;
  readonly cachedTokens?: number;
  /** In the gateway's currency unit, as reported. */
  readonly cost?: number;
  readonly firstTokenMs?: number;
}

/** The meta fields of an answer (the one place that knows where the protocol carries them). */
export function metaFieldsOf(message: AssistantMessageView): MetaFields {
  const usage = message.usage;
  return {
    finishReason: message.finishReason,
    usage,
    reasoningTokens: usage?.reasoning,
    cachedTokens: usage?.cached,
    cost: usage?.cost,
    firstTokenMs: message.firstTokenMs,
  };
}

// Fractions of a cent are the usual cost of one answer: keep two significant digits there.
function formatCost(cost: number): string {
  return cost !== 0 && Math.abs(cost) < 0.01 ? String(Number(cost.toPrecision(2))) : cost.toFixed(2);
}

let detailsCount = 0;

/** The meta line, or undefined when there is nothing to show. */
export function renderMetaLine(fields: MetaFields, t: Translate): HTMLElement | undefined {
  const compact: string[] = [];
  const details: string[] = [];
  if (fields.finishReason) {
    details.push(t('finishReason', fields.finishReason));
  }
  if (fields.usage) {
    compact.push(t('metaTokens', fields.usage.total));
    details.push(t('tokens', fields.usage.prompt, fields.usage.completion, fields.usage.total));
  }
  if (fields.reasoningTokens !== undefined) {
    details.push(t('metaReasoning', fields.reasoningTokens));
  }
  if (fields.cachedTokens !== undefined) {
    details.push(t('cachedTokens', fields.cachedTokens));
  }
  if (fields.firstTokenMs !== undefined) {
    const seconds = (fields.firstTokenMs / 1000).toFixed(2);
    compact.push(t('metaSeconds', seconds));
    details.push(t('firstToken', seconds));
  }
  if (fields.cost !== undefined) {
    const cost = t('metaCost', formatCost(fields.cost));
    compact.push(cost);
    details.push(cost);
  }
  if (details.length === 0) {
    return undefined;
  }
  const meta = document.createElement('span');
  meta.className = 'message-meta';
  const compactPart = document.createElement('span');
  compactPart.className = 'meta-compact';
  meta.append(compactPart);
  if (compact.length === 0) {
    // Nothing to abbreviate (e.g. only a finish reason): the details are the line.
    compactPart.textContent = details.join(' · ');
    return meta;
  }
  compactPart.textContent = compact.join(' · ');
  // Focusable so keyboard users reach the details that hover shows; they are its description.
  meta.tabIndex = 0;
  meta.setAttribute('role', 'note');
  meta.setAttribute('aria-label', t('metaDetails'));
  const detailsPart = document.createElement('span');
  detailsPart.className = 'meta-details';
  detailsPart.id = `meta-details-${++detailsCount}`;
  detailsPart.setAttribute('role', 'tooltip');
  detailsPart.textContent = details.join(' · ');
  meta.setAttribute('aria-describedby', detailsPart.id);
  meta.append(detailsPart);
  return meta;
}
