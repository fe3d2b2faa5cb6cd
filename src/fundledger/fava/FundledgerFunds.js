// fundledger's script in Fava, loaded by Fava on every page (has_js_module).
//
// * Read-only mode (`fundledger serve --read-only`): Fava refuses every change with a
//   401, yet still shows the editor's save button and the "+" (new entry) button.  They
//   are hidden by a style sheet added to the page, so a reader is not offered an action
//   that can only fail.  Fava itself is not patched.
// * A figure on the fundledger pages links to Fava's journal of the entries behind it.
//   Fava 1.30 keeps which parts of the journal are shown in the browser's storage
//   ("fava-journal-show"), not in the address, and hides postings by default: the
//   journal of a figure would list entries without a single amount.  Following a journal
//   link of a fundledger page adds "postings" to that choice first.

const READ_ONLY_CSS = `
  a[href="#add-transaction"],
  form.fixed-fullsize-container button[type="submit"],
  form:has(> .editor) button[type="submit"] { display: none !important; }
`;

const SHOW_KEY = "fava-journal-show";
const FAVA_DEFAULT_SHOW = ["balance", "budget", "cleared", "custom", "discovered",
  "document", "note", "pending", "query", "statement", "transaction"];

function showPostings() {
  let shown = FAVA_DEFAULT_SHOW;
  try {
    const stored = JSON.parse(localStorage.getItem(SHOW_KEY) ?? "null");
    if (Array.isArray(stored)) shown = stored;
  } catch {
    // a value Fava would not read either: start from Fava's default
  }
  if (!shown.includes("postings")) {
    localStorage.setItem(SHOW_KEY, JSON.stringify([...shown, "postings"].sort()));
  }
}

export default {
  async init(context) {
    document.addEventListener("click", (event) => {
      const link = event.target instanceof Element
        ? event.target.closest(".fundledger a[href*='/journal/']") : null;
      if (link) showPostings();
    }, true);
    const mode = await context.api.get("mode", {});
    if (mode && mode.read_only) {
      const style = document.createElement("style");
      style.id = "fundledger-read-only";
      style.textContent = READ_ONLY_CSS;
      document.head.append(style);
    }
  },
};
