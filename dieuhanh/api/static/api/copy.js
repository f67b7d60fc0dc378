// The new key's page: copy the key's text to the clipboard (selecting it where the clipboard is not available, e.g.
// a page served over plain http on the local network).
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  button.addEventListener("click", () => {
    const input = document.getElementById(button.dataset.copyTarget);
    const done = () => { button.textContent = button.dataset.copied; };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, () => document.execCommand("copy") && done());
    } else if (document.execCommand("copy")) {
      done();
    }
  });
});
