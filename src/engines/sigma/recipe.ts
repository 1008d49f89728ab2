/**
 * What a loaded rule was compiled from, kept beside it (not in the public SigmaRule) so that pack.ts
 * can send the rule to another thread as data and rebuild its closures there without the YAML.
 */
import type { DetectionSpec } from './compile.js';
import type { SigmaRule } from './types.js';

export interface RuleRecipe {
  detection: DetectionSpec;
  /** Sigma filters (filters specification 2.0) AND-ed onto the rule, in the order applied. */
  filters: DetectionSpec[];
  placeholders: Readonly<Record<string, readonly string[]>> | undefined;
}

const recipes = new WeakMap<SigmaRule, RuleRecipe>();

export function keepRecipe(rule: SigmaRule, recipe: RuleRecipe): void {
  recipes.set(rule, recipe);
}

export function recipeOf(rule: SigmaRule): RuleRecipe | undefined {
  return recipes.get(rule);
}
