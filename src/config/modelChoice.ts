/**
 * The model id a Select Model quick pick stands for when the user accepts it.
 *
 * The picker's items are replaced by the extension host when the model list arrives, which can
 * land after the user typed: the host then still re-selects the current model, an item the
 * typed filter already hides. Accepting must follow what the user typed, so a selected item only
 * counts when the typed text could have shown it (VS Code's quick pick filter matches the typed
 * characters in order, so an item that is not such a match was not on screen).
 */
export function acceptedModel(selected: string | undefined, typed: string): string | undefined {
  const filter = typed.trim();
  if (selected !== undefined && (filter.length === 0 || containsInOrder(selected, filter))) {
    return selected;
  }
  return filter.length > 0 ? filter : undefined;
}

function containsInOrder(text: string, characters: string): boolean {
  const haystack = text.toLowerCase();
  let position = 0;
  for (const character of characters.toLowerCase()) {
    const found = haystack.indexOf(character, position);
    if (found < 0) {
      return false;
    }
    position = found + character.length;
  }
  return true;
}
