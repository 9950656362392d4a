// The lab's steps, from their Markdown: prose rendered by marked and cleaned by DOMPurify, each code block its own
// CodeBlock with "Type into terminal" and "Copy" buttons.
import { useMemo } from "preact/hooks";
import { Lexer, Parser, type Token } from "marked";
import DOMPurify from "dompurify";
import { CodeBlock } from "./CodeBlock.tsx";

type Part = { kind: "html"; html: string } | { kind: "code"; text: string };

/** A step's Markdown as prose runs and code blocks, in order. */
export function splitMarkdown(md: string): Part[] {
  const parts: Part[] = [];
  let run: Token[] = [];
  const flush = () => {
    if (run.length) parts.push({ kind: "html", html: DOMPurify.sanitize(Parser.parse(run as never)) });
    run = [];
  };
  for (const t of Lexer.lex(md)) {
    if (t.type === "code") {
      flush();
      parts.push({ kind: "code", text: (t as { text: string }).text });
    } else run.push(t);
  }
  flush();
  return parts;
}

export function Steps({ steps, onType }: { steps: { title: string; body: string }[]; onType?: (text: string) => void }) {
  const rendered = useMemo(() => steps.map((s) => ({ title: s.title, parts: splitMarkdown(s.body) })), [steps]);
  return (
    <div class="steps">
      {rendered.map((s, i) => (
        <section class="step" key={i} aria-labelledby={`step-${i}`}>
          <h2 id={`step-${i}`}>
            {i + 1}. {s.title}
          </h2>
          {s.parts.map((p, j) =>
            p.kind === "code" ? <CodeBlock key={j} text={p.text} label={`step ${i + 1}, block ${j + 1}`} onType={onType} /> : <div key={j} dangerouslySetInnerHTML={{ __html: p.html }} />,
          )}
        </section>
      ))}
    </div>
  );
}
