// The editor's lazy chunk (EditorPanel imports it on first use, so CodeMirror never weighs on the page's first load):
// vim's screen for vi/vim, nano's for nano.
import { NanoScreen } from "./NanoScreen.tsx";
import { VimScreen } from "./VimScreen.tsx";
import type { ScreenProps } from "./setup.ts";

export type { ScreenProps };

export function ScreenEditor(p: ScreenProps & { editor: "vi" | "vim" | "nano" }) {
  return p.editor === "nano" ? <NanoScreen {...p} /> : <VimScreen {...p} />;
}
