// Downloads of gradeExport's documents, byte for byte (CSV, Gradescope results.json, JUnit XML, LTI AGS scores).
import type { GradebookModel } from "../models/gradebook.ts";
import { EXPORT_FORMATS, type ExportFormat } from "../models/gradebook.ts";

const LABEL: Record<ExportFormat, string> = { CSV: "CSV", GRADESCOPE: "Gradescope", JUNIT: "JUnit XML", LTI: "LTI AGS scores" };

function download(filename: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButtons({ model }: { model: InstanceType<typeof GradebookModel>; slug: string }) {
  const busy = model.exporting.value;
  return (
    <fieldset class="gb-export">
      <legend>Export</legend>
      {EXPORT_FORMATS.map((f) => (
        <button
          key={f}
          type="button"
          disabled={busy !== null}
          onClick={async () => {
            const file = await model.exportAs(f);
            if (file) download(file.filename, file.contentType, file.text);
          }}
        >
          {busy === f ? "Preparing…" : LABEL[f]}
        </button>
      ))}
    </fieldset>
  );
}
