// The editor's looks: the terminal's dark screen, and YAML/JSON highlighting in colours that keep WCAG AA contrast
// on it (the same palette as the terminal's theme in Terminal.tsx).
import { Decoration, EditorView, MatchDecorator, ViewPlugin, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

const MONO = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';

export const screenTheme = EditorView.theme(
  {
    "&": { height: "100%", backgroundColor: "#1e1e1e", color: "#e6e6e6", fontSize: "13px" },
    "&.cm-focused": { outline: "none" },
    ".cm-scroller": { fontFamily: MONO, lineHeight: "1.35" },
    ".cm-content": { caretColor: "#e6e6e6", padding: "2px 0" },
    ".cm-line": { padding: "0 4px" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#e6e6e6" },
    "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "#264f78" },
    // vim's block cursor
    ".cm-fat-cursor": { background: "#e6e6e6 !important", color: "#1e1e1e !important" },
    "&:not(.cm-focused) .cm-fat-cursor": { background: "none !important", outline: "1px solid #e6e6e6", color: "transparent !important" },
    ".cm-searchMatch": { backgroundColor: "#6e5600", outline: "1px solid #d29922" },
    ".cm-panels": { backgroundColor: "#1e1e1e", color: "#e6e6e6" },
    ".cm-panels-bottom": { borderTop: "none" },
    // vim's command line (:wq, /search) and its messages, on the editor's last line as in vim
    ".cm-vim-panel": { fontFamily: MONO, padding: "0 4px", minHeight: "1.35em", lineHeight: "1.35" },
    ".cm-vim-panel input": { color: "#e6e6e6", caretColor: "#e6e6e6", fontFamily: MONO, fontSize: "13px" },
    // vim.js colours its errors plain red, too dark on this background
    ".cm-vim-message": { color: "#ff7b72 !important" },
    ".cm-yaml-scalar, .cm-yaml-scalar span": { color: "#79c0ff" },
  },
  { dark: true },
);

export const yamlHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.comment, color: "#a8a8a8", fontStyle: "italic" },
    { tag: [t.propertyName, t.definition(t.propertyName)], color: "#7ee787" },
    { tag: [t.string, t.special(t.string), t.content], color: "#a5d6ff" },
    { tag: [t.number, t.integer, t.float], color: "#79c0ff" },
    { tag: [t.bool, t.null, t.atom, t.keyword], color: "#ffa198" },
    { tag: [t.meta, t.documentMeta, t.processingInstruction], color: "#d2a8ff" },
    { tag: [t.typeName, t.labelName, t.tagName], color: "#ffa657" },
    { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: "#c9d1d9" },
  ]),
);

/**
 * YAML's grammar leaves plain scalars untyped (all "content"); vim's YAML syntax colours a value that is a number,
 * a boolean or null apart from strings — so does this: a value alone after `key:` or `- `.
 */
const scalarDecorator = new MatchDecorator({
  regexp: /(?<=(?:^|:[ \t]|-[ \t])[ \t]*)(?:true|false|True|False|TRUE|FALSE|null|Null|NULL|~|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)(?=[ \t]*(?:#.*)?$)/g,
  decoration: Decoration.mark({ class: "cm-yaml-scalar" }),
});

export const yamlScalars = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = scalarDecorator.createDeco(view);
    }
    update(u: ViewUpdate) {
      this.decorations = scalarDecorator.updateDeco(u, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);
