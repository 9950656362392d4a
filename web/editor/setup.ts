// What the vim and nano screens share: a CodeMirror view on the file with YAML highlighting, undo history and the
// terminal's colours, its text named for assistive technology. The keys are each screen's own (vim.tsx, nano.tsx).
import { EditorState, type Extension } from "@codemirror/state";
import { drawSelection, EditorView, keymap } from "@codemirror/view";
import { indentUnit } from "@codemirror/language";
import { yaml } from "@codemirror/lang-yaml";
import { history } from "@codemirror/commands";
import { screenTheme, yamlHighlight, yamlScalars } from "./theme.ts";

/** What the panel hands a screen: the file, how to write it and how to leave. */
export interface ScreenProps {
  /** The name as the editor shows it (relative to where it was started). */
  name: string;
  /** The file's text when the editor opened. */
  content: string;
  /** The file did not exist. */
  isNew: boolean;
  syntax: "yaml" | "json" | "text";
  /** The text's accessible name ("vim — web.yaml"). */
  label: string;
  /** Writes the text (resolves to null, or to what went wrong). */
  write(text: string): Promise<string | null>;
  /** Leaves the editor; the terminal takes the keyboard back. */
  quit(): Promise<void>;
}

/**
 * The view's common extensions. YAML is a superset of JSON, so the YAML grammar also colours `kubectl edit -o json`
 * (one grammar in the bundle, not two); plain text gets none.
 */
export function commonExtensions(p: ScreenProps, keys: Extension): Extension[] {
  return [
    keys,
    history(),
    drawSelection(),
    EditorState.tabSize.of(8),
    indentUnit.of("  "),
    p.syntax === "text" ? [] : [yaml(), yamlHighlight, yamlScalars],
    screenTheme,
    EditorView.contentAttributes.of({ tabindex: "0", "aria-label": p.label, "aria-describedby": "editor-keys", spellcheck: "false", autocapitalize: "off", autocorrect: "off" }),
  ];
}

/** Tab as a key of the editor (not the page's focus move): `insert` says what it types, or null to do nothing. */
export function tabKey(insert: (v: EditorView) => string | null): Extension {
  return keymap.of([
    {
      key: "Tab",
      run: (v) => {
        const text = insert(v);
        if (text !== null) v.dispatch(v.state.replaceSelection(text), { scrollIntoView: true, userEvent: "input.type" });
        return true;
      },
    },
  ]);
}
