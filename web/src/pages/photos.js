// Adding photos of a person: each photo is its own request, so one bad photo (no face, several faces,
// a poor face, not an image) is reported beside its name while the good ones are enrolled.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../ui.js";

// Uploads `files` to person `id` one by one; [{file, ok, message}] in order.
export async function addPhotos(id, files) {
  const results = [];
  for (const file of files) {
    const form = new FormData();
    form.append("image", file, file.name);
    try {
      await api.post(`/api/people/${id}/faces`, form);
      results.push({ file: file.name, ok: true, message: "added" });
    } catch (e) {
      const prefix = `${file.name}: `; // the daemon names the file; the list already does
      results.push({ file: file.name, ok: false, message: e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message });
    }
  }
  return results;
}

export function PhotoResults({ results }) {
  if (!results.length) return null;
  return html`
    <ul class="results" aria-live="polite">
      ${results.map((r) => html`<li class=${r.ok ? "ok" : "error"}><strong>${r.file}</strong>: ${r.message}</li>`)}
    </ul>`;
}

// A file picker and a button; calls onDone(results) after uploading to person `id`.
export function AddPhotos({ id, onDone }) {
  const [files, setFiles] = useState([]);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState([]);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const done = await addPhotos(id, files);
    setResults(done);
    setBusy(false);
    onDone(done);
  };
  return html`
    <form class="photos" onSubmit=${submit}>
      <label>Photos of one face each <input type="file" accept="image/jpeg,image/png" multiple
        onChange=${(e) => setFiles([...e.currentTarget.files])} /></label>
      <button type="submit" disabled=${busy || !files.length}>${busy ? "Adding…" : "Add photos"}</button>
      <${PhotoResults} results=${results} />
    </form>`;
}
