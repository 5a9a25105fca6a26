/**
 * The one template language of Firebreak's texts (stakeholder updates, canned replies): `{name}`
 * is replaced by the value of the variable `name`; a name that is not a variable is refused when
 * the template is saved, so an admin learns one way of writing templates. Pure: no I/O.
 */

const VARIABLE = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

export interface TextTemplates<V extends string> {
  /** The `{names}` in a text that are not variables, each once, in the order they appear. */
  unknownVariables(text: string): string[];
  /** Why a text with those unknown names is refused, listing the variables there are. */
  unknownVariablesMessage(unknown: readonly string[]): string;
  /**
   * The text with every variable filled in. Nothing is escaped here: the texts are plain text,
   * shown escaped wherever they are shown. Unknown names stay as written (saving refuses them first).
   */
  render(text: string, values: Record<V, string>): string;
}

/** The template language over one table of variables (name → what it stands for). */
export function textTemplates<V extends string>(variables: Record<V, string>): TextTemplates<V> {
  const isVariable = (name: string): name is V => Object.hasOwn(variables, name);
  const listed = (Object.keys(variables) as V[]).map((n) => `{${n}}`).join(', ');
  return {
    unknownVariables(text) {
      const unknown: string[] = [];
      for (const [, name] of text.matchAll(VARIABLE)) {
        if (!isVariable(name) && !unknown.includes(name)) unknown.push(name);
      }
      return unknown;
    },
    unknownVariablesMessage(unknown) {
      const names = unknown.map((n) => `{${n}}`).join(', ');
      return `${unknown.length === 1 ? 'is not a variable' : 'are not variables'}: ${names}; the variables are ${listed}`;
    },
    render(text, values) {
      return text.replace(VARIABLE, (whole, name: string) => (isVariable(name) ? values[name] : whole));
    },
  };
}
