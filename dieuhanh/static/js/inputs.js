// Inputs that speak Vietnamese whatever the browser's language (lib/dates.py says why).
// - Dates (input[data-date-input]): text holding dd/mm/yyyy, with flatpickr's calendar in the page's language.
// - Files (.file-pick): the native button would say "Choose File"; a label styled as a button stands in for it
//   and the chosen files' names are written beside it.
// - Required fields: the message for an empty one, in Vietnamese.
(function () {
  const DMY = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/;
  const ISO = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/;

  function parse(text) {
    let m = DMY.exec(text || "");
    let day, month, year;
    if (m) [day, month, year] = [+m[1], +m[2], +m[3]];
    else if ((m = ISO.exec(text || ""))) [year, month, day] = [+m[1], +m[2], +m[3]];
    else return undefined;
    const date = new Date(year, month - 1, day);
    // 31/02/2026 or 01/13/2026 would roll over into another month: not a date.
    return date.getMonth() === month - 1 && date.getDate() === day ? date : undefined;
  }

  function dates(root) {
    if (!window.flatpickr) return;
    const vietnamese = (document.documentElement.lang || "vi").startsWith("vi");
    root.querySelectorAll("input[data-date-input]:not(.flatpickr-input)").forEach((input) => {
      const picker = window.flatpickr(input, {
        locale: vietnamese && window.flatpickr.l10ns.vn ? "vn" : "default",
        dateFormat: "d/m/Y",
        allowInput: true,
        allowInvalidPreload: true, // a refused "31/02/2026" stays in the field beside its error
        disableMobile: true, // a phone's own picker would show the phone's language and format
        parseDate: parse,
      });
      // flatpickr empties a typed text it cannot read when the field loses focus; leave it for the server, which
      // says what to type ("Nhập ngày theo dạng 31/12/2026."), instead of sending nothing.
      const setDate = picker.setDate;
      picker.setDate = function (date, ...rest) {
        if (typeof date === "string" && date.trim() && !parse(date)) return undefined;
        return setDate.call(picker, date, ...rest);
      };
    });
  }

  function files(root) {
    root.querySelectorAll(".file-pick input[type=file]:not([data-picked])").forEach((input) => {
      input.dataset.picked = "";
      const name = input.closest(".file-pick").querySelector(".file-pick-name");
      const empty = name ? name.textContent : "";
      input.addEventListener("change", () => {
        if (name) name.textContent = Array.from(input.files).map((f) => f.name).join(", ") || empty;
      });
    });
  }

  // A required field left empty: the browser's own bubble would speak the browser's language ("Please select a
  // file."); on a Vietnamese page it says it in Vietnamese. An English page keeps the browser's words.
  const REQUIRED = { file: "Hãy chọn một tệp.", select: "Hãy chọn một mục trong danh sách.", other: "Hãy điền vào ô này." };
  function required(root) {
    if (!(document.documentElement.lang || "vi").startsWith("vi")) return;
    root.querySelectorAll("input[required], select[required], textarea[required]").forEach((field) => {
      if (field.dataset.requiredSaid !== undefined) return;
      field.dataset.requiredSaid = "";
      field.addEventListener("invalid", () => {
        if (!field.validity.valueMissing) return;
        const kind = field.type === "file" ? "file" : field.tagName === "SELECT" ? "select" : "other";
        field.setCustomValidity(REQUIRED[kind]);
      });
      const clear = () => field.setCustomValidity("");
      field.addEventListener("input", clear);
      field.addEventListener("change", clear);
    });
  }

  function enhance(root) { dates(root); files(root); required(root); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => enhance(document));
  else enhance(document);
  document.addEventListener("htmx:afterSwap", (event) => enhance(event.target));
})();
