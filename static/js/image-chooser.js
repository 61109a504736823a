// The editor's picture picker: django-prose-editor opens this window and waits for
// the chosen picture through the CKEditor-style callback it installs on its opener.
document.addEventListener("click", (event) => {
  const choice = event.target.closest(".image-chooser__choice")
  if (!choice) return
  const funcNum = document.querySelector(".image-chooser").dataset.funcNum
  const opener = window.opener
  if (!opener || !opener.CKEDITOR) return
  opener.CKEDITOR.tools.callFunction(funcNum, choice.dataset.url, {
    id: choice.dataset.id,
    alternative_text: choice.dataset.alt,
    caption: choice.dataset.caption,
  })
  window.close()
})
