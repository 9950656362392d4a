// Public surface of the label layer: selectors (parse / match / canonical string) and label-map helpers.

export {
  type Operator,
  type Requirement,
  Selector,
  SelectorParseError,
  everything,
  formatLabelSelector,
  formatRequirement,
  formatSelector,
  labelSelectorAsSelector,
  matchesSelector,
  newRequirement,
  nothing,
  parseSelector,
  selectorFromSet,
  selectorRequiresExactMatch,
  validatedSelectorFromSet,
} from "./selector.ts";
export { convertSelectorToLabelsMap, formatLabels, labelsConflict, labelsHas, labelsString, mergeLabels } from "./set.ts";
export { type Token, type TokenKind, tokenize } from "./lexer.ts";
