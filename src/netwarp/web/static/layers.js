// Layer names: the page's one copy of netwarp.views.naming.layer_name (a test checks they agree).
// Layer 0 is the input, 1..L-1 the hidden layers, L the output logits.

export function layerName(layer, L, short = false) {
  if (layer === 0) return short ? "in" : "input";
  if (layer === L) return short ? "out" : "output logits";
  return short ? `h${layer}` : `hidden layer ${layer}`;
}

// A recorded model's hidden layers go by its modules' names (pool, fc1); the input and the logits keep theirs.
export function layerLabel(layer, L, short = false, names = null) {
  return names && layer > 0 && layer < L ? names[layer - 1] : layerName(layer, L, short);
}
